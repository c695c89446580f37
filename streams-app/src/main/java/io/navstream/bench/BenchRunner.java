package io.navstream.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Runs the chosen scenarios in one process, against one in-process broker, and writes the report.
 * Each scenario measures its baseline in the same run, right after navstream, so that ratios hold
 * on a shared, noisy machine.
 */
public final class BenchRunner {
  /** The scenarios, in the order {@code all} runs them. */
  public enum Scenario {
    PIPELINE, LATENCY, REPLAY, SCALING;

    boolean needsKafka() {
      return this != REPLAY;
    }
  }

  private final BenchSettings settings;
  private final Set<Scenario> scenarios;
  private final Path outputDir;
  private final PrintWriter log;
  private final BenchProgress progress;

  /**
   * @param log where the runs are narrated
   * @param progressOrNull where progress bars are drawn (a terminal), or null for none
   */
  public BenchRunner(BenchSettings settings, Set<Scenario> scenarios, Path outputDir, PrintWriter log,
      java.io.PrintStream progressOrNull) {
    this.settings = settings;
    this.scenarios = scenarios.isEmpty() ? EnumSet.noneOf(Scenario.class) : EnumSet.copyOf(scenarios);
    this.outputDir = outputDir;
    this.log = log;
    this.progress = progressOrNull == null ? BenchProgress.NONE : BenchProgress.bar(progressOrNull);
  }

  /** Runs and writes the report; returns the results. */
  public Results run(String command) throws IOException {
    Machine machine = Machine.describe();
    Results results = new Results();
    Path workDir = Files.createDirectories(outputDir).resolve("work");
    BenchKafka.deleteRecursively(workDir);
    Files.createDirectories(workDir);
    log.printf(Locale.ROOT, "navstream bench: %s%n  machine: %s, load average %.2f%n", scenarios,
        machine.summary(), machine.loadAtStart());
    log.flush();
    BenchKafka kafka = scenarios.stream().anyMatch(Scenario::needsKafka)
        ? BenchKafka.start(workDir.resolve("broker")) : null;
    try {
      Runnable checkpoint = () -> {
        try {
          BenchReport.write(outputDir, command, machine, Machine.loadNow(), settings, results);
        } catch (IOException e) {
          log.println("cannot write the report so far: " + e);
        }
      };
      BenchContext ctx = new BenchContext(settings, kafka, results, progress, log, workDir, checkpoint);
      for (Scenario scenario : scenarios) {
        long started = System.nanoTime();
        switch (scenario) {
          case PIPELINE -> PipelineBench.run(ctx);
          case LATENCY -> LatencyBench.run(ctx);
          case REPLAY -> ReplayBench.run(ctx);
          case SCALING -> ScalingBench.run(ctx);
        }
        log.printf(Locale.ROOT, "%s done in %.0f s (load average %.2f)%n",
            scenario.name().toLowerCase(Locale.ROOT), (System.nanoTime() - started) / 1e9, Machine.loadNow());
        log.flush();
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      BenchKafka.deleteRecursively(workDir);
    }
    BenchReport.write(outputDir, command, machine, Machine.loadNow(), settings, results);
    log.println();
    log.print(BenchReport.table(results.summaries()));
    log.printf("%nwritten: %s%n", outputDir.toAbsolutePath());
    log.flush();
    return results;
  }
}
