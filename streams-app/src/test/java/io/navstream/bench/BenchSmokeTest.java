package io.navstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.navstream.cli.NavstreamCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs every bench scenario at a tiny size through the real command, so the benchmarks cannot
 * rot: each must drain, measure its baseline and land in the report. The figures themselves mean
 * nothing at this size.
 */
class BenchSmokeTest {
  // At-least-once keeps the smoke fast (no transactions to set up); scaling runs exactly-once.
  @TempDir Path dir;

  @Test
  void everyScenarioRunsAtATinySizeAndIsReported() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = NavstreamCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));

    int exit = cli.execute("bench", "--scenario", "all", "--runs", "1", "--ticks", "3000",
        "--underlyings", "3", "--funds", "2", "--partitions", "2", "--guarantee", "alos",
        "--rate", "1000", "--latency-seconds", "1", "--latency-warmup-seconds", "1",
        "--replay-ticks", "3000", "--scaling-nav-budget", "2000", "--scaling-funds", "2",
        "--scaling-underlyings", "3",
        "--no-progress", "--out", dir.toString());

    System.out.print(out); // the bench's own log, for the surefire report
    assertThat(exit).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
    JsonNode results = new ObjectMapper().readTree(dir.resolve(BenchReport.JSON).toFile());
    Set<String> figures = new HashSet<>();
    for (JsonNode s : results.get("summaries")) {
      figures.add(s.get("scenario").asText() + " " + s.get("config").asText() + " "
          + s.get("metric").asText());
      assertThat(s.get("median").asDouble()).as(s.toString()).isPositive();
    }
    assertThat(figures).contains(
        "pipeline alos U=3 F=2 navstream / pass-through",
        "latency alos 1,000 ticks/s linger.ms=5 navstream p99",
        "latency alos 1,000 ticks/s linger.ms=5 pass-through p99.9",
        "latency alos 1,000 ticks/s linger.ms=5 navstream warm-up catch-up",
        "replay U=3 F=2 3,000 ticks replay / loop",
        "scaling U=3 F=2 (1,000 ticks) navstream / pass-through",
        "scaling U=3 F=2 (1,000 ticks) heap per fund",
        "scaling U=3 F=2 (1,000 ticks) store bytes per fund",
        "scaling U=3 F=2 (1,000 ticks) RocksDB SST bytes per fund");
    // Both axes meet at U=3 F=2: measured once.
    assertThat(results.get("summaries").findValuesAsText("config").stream()
        .filter(c -> c.startsWith("U=3 F=2 (")).count()).isEqualTo(7);
    assertThat(Files.readString(dir.resolve(BenchReport.MARKDOWN)))
        .contains("| pipeline | alos U=3 F=2 | navstream | ");
    assertThat(Files.readString(dir.resolve(BenchReport.CHART))).startsWith("<svg").contains("<rect");
    assertThat(Files.readAllLines(dir.resolve(BenchReport.CSV))).hasSize(1 + results.get("summaries").size());
    assertThat(dir.resolve("work")).doesNotExist();
  }
}
