package io.navstream.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure a bench command measured, one {@link Sample} per run, and their summaries: median,
 * min and max over the runs. Ratios are taken within a run (navstream over its baseline measured
 * just before or after it), then summarised like any other figure.
 */
public final class Results {
  /** One figure of one run. {@code config} names the variant, e.g. "eos U=50 F=4". */
  public record Sample(String scenario, String config, String metric, String unit, int run,
      double value) {}

  /** The runs of one figure. */
  public record Summary(String scenario, String config, String metric, String unit, int runs,
      double median, double min, double max) {}

  private final List<Sample> samples = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public synchronized void add(String scenario, String config, String metric, String unit, int run,
      double value) {
    samples.add(new Sample(scenario, config, metric, unit, run, value));
  }

  /** A line for the report: what was set, what a figure means. */
  public synchronized void note(String line) {
    notes.add(line);
  }

  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  public synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  /** In first-measured order. */
  public synchronized List<Summary> summaries() {
    Map<List<String>, List<Sample>> groups = new LinkedHashMap<>();
    for (Sample s : samples) {
      groups.computeIfAbsent(List.of(s.scenario(), s.config(), s.metric(), s.unit()),
          k -> new ArrayList<>()).add(s);
    }
    List<Summary> out = new ArrayList<>();
    groups.forEach((k, group) -> {
      double[] values = group.stream().mapToDouble(Sample::value).sorted().toArray();
      out.add(new Summary(k.get(0), k.get(1), k.get(2), k.get(3), values.length, median(values),
          values[0], values[values.length - 1]));
    });
    return out;
  }

  /** The median of sorted values; the mean of the middle two for an even count. */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The {@code q} quantile (0..1) of sorted values, nearest rank. */
  static double quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static long[] sortedCopy(long[] values, int length) {
    long[] copy = Arrays.copyOf(values, length);
    Arrays.sort(copy);
    return copy;
  }
}
