package io.navstream.replay.testsupport;

import io.navstream.replay.ReplayDriver;
import io.navstream.replay.ReplayResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Replays a generated prices file and prints the summary: {@code ReplayBenchmark [ticks] [echo]}.
 * Run from the test classpath; "echo" replays through {@link EchoTopology} instead of the real
 * topology. Not a test.
 */
public final class ReplayBenchmark {
  private ReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    long ticks = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    boolean echo = args.length > 1 && args[1].equals("echo");
    new QuietKafkaLogs().beforeAll(null);
    Path dir = Files.createTempDirectory("navstream-bench-");
    Path prices =
        new PriceSeriesGenerator()
            .step(Duration.ofMillis(100))
            .write(dir.resolve("prices.csv"), ticks, "BTC", "ETH", "SOL");
    Path funds =
        Files.writeString(
            dir.resolve("funds.json"),
            """
            [
              {"fundId": "BTC3L", "underlying": "BTC", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 100, "initialShares": 1000, "dailyRebalanceTime": "00:00",
               "thresholdMove": 0.1},
              {"fundId": "ETH3S", "underlying": "ETH", "direction": "SHORT", "targetLeverage": 3,
               "initialNav": 100, "initialShares": 1000, "dailyRebalanceTime": "00:00"}
            ]
            """);
    PrintWriter err = new PrintWriter(System.err, true);
    ReplayDriver.Builder builder =
        ReplayDriver.builder()
            .funds(funds)
            .prices(prices)
            .outputDirectory(dir.resolve("out"))
            .diagnostics(err);
    if (echo) {
      builder.topology(EchoTopology::build).streamsOverrides(EchoTopology.CONTINUE_ON_ERRORS);
    }
    ReplayResult result = builder.build().run();
    PrintWriter out = new PrintWriter(System.out, true);
    out.print(result.summary());
    out.println("  files in " + dir);
    out.flush();
  }
}
