package io.navstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsTest {
  @Test
  void summariesAreMedianMinAndMaxPerFigureInFirstMeasuredOrder() {
    Results results = new Results();
    results.add("pipeline", "eos", "navstream", "ticks/s", 1, 30);
    results.add("pipeline", "eos", "ratio", "ratio", 1, 0.5);
    results.add("pipeline", "eos", "navstream", "ticks/s", 2, 10);
    results.add("pipeline", "eos", "navstream", "ticks/s", 3, 20);
    results.add("pipeline", "eos", "ratio", "ratio", 2, 0.7);

    List<Results.Summary> summaries = results.summaries();

    assertThat(summaries).containsExactly(
        new Results.Summary("pipeline", "eos", "navstream", "ticks/s", 3, 20, 10, 30),
        new Results.Summary("pipeline", "eos", "ratio", "ratio", 2, 0.6, 0.5, 0.7));
  }

  @Test
  void quantilesAreNearestRank() {
    long[] sorted = Results.sortedCopy(new long[] {5, 1, 4, 2, 3, 6, 7, 8, 9, 10, 0, 0}, 10);

    assertThat(sorted).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(Results.quantile(sorted, 0.5)).isEqualTo(5);
    assertThat(Results.quantile(sorted, 0.99)).isEqualTo(10);
    assertThat(Results.quantile(sorted, 0.0)).isEqualTo(1);
    assertThat(Results.quantile(new long[0], 0.5)).isNaN();
  }

  @Test
  void theTableFormatsEachUnitForReading() {
    String table = BenchReport.table(List.of(
        new Results.Summary("latency", "alos", "p99", "ms", 3, 12.34, 10.01, 15.5),
        new Results.Summary("pipeline", "eos", "navstream", "ticks/s", 3, 12345.6, 1000, 20000),
        new Results.Summary("pipeline", "eos", "navstream / pass-through", "ratio", 3, 0.51234, 0.5, 0.6)));

    assertThat(table).contains(
        "| latency | alos | p99 | 12.3 | 10.0 | 15.5 | ms | 3 |",
        "| pipeline | eos | navstream | 12,346 | 1,000 | 20,000 | ticks/s | 3 |",
        "| pipeline | eos | navstream / pass-through | 0.512 | 0.500 | 0.600 | ratio | 3 |");
  }

  @Test
  void theChartDrawsOneBarPerThroughputFigure() {
    String svg = BenchReport.Chart.svg(List.of(
        new Results.Summary("replay", "U=3 F=4", "replay", "ticks/s", 3, 100, 90, 110),
        new Results.Summary("replay", "U=3 F=4", "bare domain loop", "ticks/s", 3, 1000, 900, 1100),
        new Results.Summary("replay", "U=3 F=4", "replay / loop", "ratio", 3, 0.1, 0.09, 0.11)));

    assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
    assertThat(svg.split("<rect x=", -1)).hasSize(3); // two bars; the ratio is not a throughput
    assertThat(svg).contains("U=3 F=4 · bare domain loop");
  }
}
