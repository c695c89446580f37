package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.cli.NavstreamCli;
import io.navstream.replay.testsupport.QuietKafkaLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(QuietKafkaLogs.class)
class ReplayCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine cli = NavstreamCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private Path funds() throws IOException {
    return write(
        "funds.json",
        """
        [
          {"fundId": "BTC3L", "underlying": "BTC", "direction": "LONG", "targetLeverage": 3,
           "initialNav": 1, "initialShares": 1}
        ]
        """);
  }

  @Test
  void replaysReportsBadRowsWithLineNumbersAndPrintsASummary() throws IOException {
    Path prices =
        write(
            "prices.csv",
            """
            timestamp,symbol,price
            2025-01-01T00:00:00Z,BTC,100
            2025-01-01T00:01:00Z,BTC,1O1
            1735689720000,BTC,102
            2025-01-01T00:03:00Z,BTC
            """);
    Path funding = write("funding.csv", "timestamp,symbol,rate\n2025-01-01T00:00:30Z,BTC,0.0001\n");
    Path target = dir.resolve("out");

    int code =
        execute(
            "replay",
            "--funds",
            funds().toString(),
            "--prices",
            prices.toString(),
            "--funding",
            funding.toString(),
            "--out",
            target.toString(),
            "--no-progress");

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains("prices.csv:3: price not a decimal number: '1O1'")
        .contains("prices.csv:5: expected 3 fields, found 2");
    assertThat(out.toString())
        .contains("replay finished in")
        .contains("1 fund definitions (0 retirements), 2 prices, 1 funding rates")
        .contains("2 bad input rows")
        .contains("ticks/s")
        .contains(target.toAbsolutePath().toString());
    assertThat(target.resolve("nav-updates.jsonl")).exists();
    assertThat(target.resolve("dead-letter.jsonl")).exists();
  }

  @Test
  void replaysOperatorCommandsInTimestampOrderAfterTheTickOfTheSameTime() throws IOException {
    Path funds =
        write(
            "funds.json",
            """
            [
              {"fundId": "BTC3L", "underlying": "BTC", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1, "thresholdMove": 0.15}
            ]
            """);
    Path prices =
        write(
            "prices.csv",
            """
            timestamp,symbol,price
            2025-01-01T00:00:00Z,BTC,100
            2025-01-01T00:01:00Z,BTC,110
            2025-01-01T00:02:00Z,BTC,85
            2025-01-01T00:04:00Z,BTC,85
            """);
    Path commands =
        write(
            "commands.csv",
            """
            timestamp,commandId,fundId,type
            2025-01-01T00:01:00Z,c-1,BTC3L,REBALANCE
            2025-01-01T00:01:30Z,c-2,BTC3L,pause
            2025-01-01T00:01:40Z,c-2,BTC3L,PAUSE
            2025-01-01T00:01:50Z,c-3,BTC3L,LIQUIDATE
            2025-01-01T00:03:00Z,c-4,BTC3L,RESUME
            """);
    Path target = dir.resolve("out");

    int code =
        execute(
            "replay",
            "--funds",
            funds.toString(),
            "--prices",
            prices.toString(),
            "--commands",
            commands.toString(),
            "--out",
            target.toString(),
            "--no-progress");

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString())
        .contains("commands.csv:5: type 'LIQUIDATE' is not one of REBALANCE, PAUSE, RESUME");
    assertThat(out.toString()).contains("4 prices, 0 funding rates, 4 operator commands");
    List<String> rebalances = Files.readAllLines(target.resolve("rebalance-instructions.jsonl"));
    // The manual rebalance trades at the 110 of its own minute; the fall to 85 waits for the resume.
    assertThat(rebalances).hasSize(3);
    assertThat(rebalances.get(0)).contains("\"reason\":\"INCEPTION\"");
    assertThat(rebalances.get(1)).contains("\"reason\":\"MANUAL\"").contains("\"price\":\"110");
    assertThat(rebalances.get(2)).contains("\"reason\":\"THRESHOLD\"").contains("2025-01-01T00:04:00");
    assertThat(Files.readString(target.resolve("dead-letter.jsonl"))).contains("DUPLICATE_COMMAND");
    assertThat(Files.readString(target.resolve("fund-state.jsonl")))
        .contains("\"rebalancesPaused\":true")
        .contains("\"rebalancesPaused\":false");
  }

  @Test
  void aBadHeaderIsAnErrorExit() throws IOException {
    Path prices = write("prices.csv", "ts,symbol,price\n2025-01-01T00:00:00Z,BTC,100\n");
    int code =
        execute(
            "replay",
            "--funds",
            funds().toString(),
            "--prices",
            prices.toString(),
            "--out",
            dir.resolve("out").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "prices.csv:1: bad header: expected timestamp,symbol,price but found ts,symbol,price");
    assertThat(out.toString()).doesNotContain("replay finished");
    assertThat(dir.resolve("out")).as("nothing written for unusable inputs").doesNotExist();
  }

  @Test
  void aMissingFileIsABadArgument() throws IOException {
    int code =
        execute(
            "replay",
            "--funds",
            funds().toString(),
            "--prices",
            dir.resolve("nope.csv").toString(),
            "--out",
            dir.resolve("out").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--prices: no such file");
  }

  @Test
  void requiredOptionsAreRequired() {
    assertThat(execute("replay", "--funds", "f.json")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required options").contains("--prices");
  }

  @Test
  void anOutputPathThatIsAFileIsABadArgument() throws IOException {
    Path prices = write("prices.csv", "timestamp,symbol,price\n");
    Path file = write("taken", "");
    int code =
        execute(
            "replay",
            "--funds",
            funds().toString(),
            "--prices",
            prices.toString(),
            "--out",
            file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("is not a directory");
  }

  @Test
  void progressCanBeForced() throws IOException {
    Path prices = write("prices.csv", "timestamp,symbol,price\n2025-01-01T00:00:00Z,BTC,100\n");
    int code =
        execute(
            "replay",
            "--funds",
            funds().toString(),
            "--prices",
            prices.toString(),
            "--out",
            dir.resolve("out").toString(),
            "--progress");
    assertThat(code).isZero();
    assertThat(err.toString()).contains("replay").contains("100%");
  }

  @Test
  void helpDescribesTheInputs() {
    assertThat(execute("replay", "--help")).isZero();
    assertThat(out.toString())
        .contains("--funds=FUNDS.json")
        .contains("timestamp,symbol,price")
        .contains("--[no-]progress")
        .contains("Exit codes");
  }
  @Test
  void threadsMustBePositiveAndAnyCountWritesTheSameFiles() throws IOException {
    Path prices = write("prices.csv",
        "timestamp,symbol,price\n2025-01-01T00:00:00Z,BTC,100\n2025-01-01T00:01:00Z,ETH,50\n"
            + "2025-01-01T00:02:00Z,BTC,101\n");
    assertThat(execute("replay", "--funds", funds().toString(), "--prices", prices.toString(),
        "--out", dir.resolve("zero").toString(), "--threads", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--threads: must be at least 1, was 0");
    for (String threads : List.of("1", "3")) {
      assertThat(execute("replay", "--funds", funds().toString(), "--prices", prices.toString(),
          "--out", dir.resolve("t" + threads).toString(), "--threads", threads, "--no-progress"))
          .as(err.toString()).isZero();
    }
    assertThat(Files.readString(dir.resolve("t3").resolve(ReplayDriver.NAV_UPDATES_FILE)))
        .isEqualTo(Files.readString(dir.resolve("t1").resolve(ReplayDriver.NAV_UPDATES_FILE)))
        .contains("\"price\":\"101.000000000000000000\"");
  }
}
