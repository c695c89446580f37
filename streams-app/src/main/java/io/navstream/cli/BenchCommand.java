package io.navstream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.navstream.bench.BenchRunner;
import io.navstream.bench.BenchRunner.Scenario;
import io.navstream.bench.BenchSettings;
import io.navstream.bench.Guarantee;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Spec;

/** {@code navstream bench}: throughput, latency, replay and scaling against same-run baselines. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Measures navstream on an in-process Kafka broker (in-memory schema registry), each scenario"
          + " against its baseline in the same run: pipeline throughput vs a pass-through Kafka"
          + " Streams app, latency at a fixed offered rate, replay vs the bare domain loop, and"
          + " scaling with funds and underlyings. Writes results.json, results.csv, results.md and"
          + " chart.svg to the output directory. See BENCHMARKS.md."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:measured and written", "1:a scenario failed", "2:bad arguments"})
public final class BenchCommand implements Callable<Integer> {
  private static final BenchSettings D = BenchSettings.defaults();

  /** What --scenario accepts. */
  enum Choice { PIPELINE, LATENCY, REPLAY, SCALING, ALL }

  @Spec CommandSpec spec;

  @Option(names = "--scenario", split = ",", paramLabel = "NAME",
      description = "pipeline, latency, replay, scaling or all (default), comma-separated.")
  List<Choice> scenarios = List.of(Choice.ALL);

  @Option(names = "--runs", description = "Runs of every measurement; medians over them (default: ${DEFAULT-VALUE}).")
  int runs = D.runs();

  @Option(names = "--ticks", description = "pipeline: pre-loaded ticks (default: ${DEFAULT-VALUE}).")
  long ticks = D.ticks();

  @Option(names = "--underlyings", description = "Underlyings (default: ${DEFAULT-VALUE}).")
  int underlyings = D.underlyings();

  @Option(names = "--funds", description = "Funds per underlying (default: ${DEFAULT-VALUE}).")
  int funds = D.funds();

  @Option(names = "--partitions", description = "Partitions of every topic (default: ${DEFAULT-VALUE}, navstream's).")
  int partitions = D.partitions();

  @Option(names = "--guarantee", split = ",", paramLabel = "G",
      description = "pipeline and latency: eos, alos or both (default: eos,alos).")
  List<Guarantee> guarantees = D.guarantees();

  @Option(names = "--rate", description = "latency: offered ticks per second (default: ${DEFAULT-VALUE}).")
  int rate = D.latencyRate();

  @Option(names = "--latency-seconds", description = "latency: seconds of measured load, after the warm-up (default: ${DEFAULT-VALUE}).")
  int latencySeconds = D.latencySeconds();

  @Option(names = "--latency-warmup-seconds",
      description = "latency: seconds of load at the same rate before the measured load, which"
          + " starts once the app has caught up with it (default: ${DEFAULT-VALUE}).")
  int latencyWarmupSeconds = D.latencyWarmupSeconds();

  @Option(names = "--linger-ms", description = "latency: the apps' producer linger.ms (default: ${DEFAULT-VALUE}).")
  int lingerMs = D.lingerMs();

  @Option(names = "--replay-ticks", description = "replay: ticks in the file (default: ${DEFAULT-VALUE}).")
  long replayTicks = D.replayTicks();

  @Option(names = "--scaling-nav-budget",
      description = "scaling: NAV updates per configuration, ticks = budget / funds (default: ${DEFAULT-VALUE}).")
  long scalingNavBudget = D.scalingNavBudget();

  @Option(names = "--scaling-max-ticks", description = "scaling: ticks at most per configuration (default: ${DEFAULT-VALUE}).")
  long scalingMaxTicks = D.scalingMaxTicks();

  @Option(names = "--scaling-funds", split = ",", description = "scaling: funds per underlying (default: 1,4,16,64).")
  List<Integer> scalingFunds = D.scalingFunds();

  @Option(names = "--scaling-underlyings", split = ",", description = "scaling: underlyings (default: 10,100,1000).")
  List<Integer> scalingUnderlyings = D.scalingUnderlyings();

  @Option(names = "--seed", description = "Seed of the price walk (default: ${DEFAULT-VALUE}).")
  long seed = D.seed();

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target", "bench");

  @Option(names = "--progress", negatable = true,
      description = "Progress bars on stderr (default: only on a terminal).")
  Boolean progress;

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BenchSettings settings;
    try {
      settings = new BenchSettings(runs, ticks, underlyings, funds, partitions, guarantees, rate,
          latencySeconds, latencyWarmupSeconds, lingerMs, replayTicks, scalingNavBudget,
          scalingMaxTicks, scalingFunds, scalingUnderlyings, seed);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      return 2;
    }
    Set<Scenario> chosen = EnumSet.noneOf(Scenario.class);
    for (Choice c : scenarios) {
      if (c == Choice.ALL) {
        chosen.addAll(EnumSet.allOf(Scenario.class));
      } else {
        chosen.add(Scenario.valueOf(c.name()));
      }
    }
    boolean bars = progress != null ? progress : System.console() != null;
    Map<String, Level> previous = quietLoggers();
    try {
      new BenchRunner(settings, chosen, out, stdout, bars ? System.err : null)
          .run("navstream " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      return 0;
    } catch (RuntimeException e) {
      err.println("bench: " + e.getMessage());
      if (e.getCause() != null) {
        err.println("  caused by: " + e.getCause());
      }
      return 1;
    } finally {
      previous.forEach((name, level) -> logger(name).setLevel(level));
    }
  }

  /**
   * Kafka Streams' state transitions and the topic provisioner's lines are useful when running
   * the app, but dozens of apps start and stop in a bench: WARN for them while it runs.
   */
  private static Map<String, Level> quietLoggers() {
    Map<String, Level> previous = new HashMap<>();
    for (String name : List.of("org.apache.kafka.streams.KafkaStreams",
        "org.apache.kafka.streams.processor.internals.StreamThread", "io.navstream.app",
        "io.navstream.embedded")) {
      Logger logger = logger(name);
      previous.put(name, logger.getLevel());
      logger.setLevel(Level.WARN);
    }
    return previous;
  }

  private static Logger logger(String name) {
    return (Logger) LoggerFactory.getLogger(name);
  }
}
