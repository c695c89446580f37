package io.navstream.cli;

import io.navstream.demo.Demo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code navstream demo}: everything in one process, no Kafka needed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts an in-process Kafka broker and schema registry, publishes demo funds (BTC, ETH and SOL"
          + " 3x long and short, BTC 5x), runs a price simulator and navstream, and shows every"
          + " fund's NAV and each rebalance live. Ctrl-C stops it; run it again with the same"
          + " --data-dir to continue."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = "navstream-demo-data",
      description = "Where the demo keeps its broker, registry and state (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--day-length", defaultValue = "PT2M",
      description = "Wall time of one simulated day, so daily rebalances at 00:00 UTC are seen"
          + " (default: ${DEFAULT-VALUE}).")
  Duration dayLength;

  @Option(names = "--rate", defaultValue = "10", description = "Price ticks per second per symbol (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the price simulator (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions of navstream's topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--config", description = "A navstream properties file layered under the demo's own settings.")
  Path configFile;

  @Option(names = "--apicurio-home", description = "The unpacked Apicurio Registry distribution"
      + " (default: streams-app/target/apicurio beside the jar, or NAVSTREAM_APICURIO_HOME).")
  Path apicurioHome;

  @Option(names = "--duration", description = "Stop by itself after this long (default: run until Ctrl-C).")
  Duration duration;

  @Option(names = "--plain", description = "Print the live view as blocks instead of redrawing it in place.")
  boolean plain;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    boolean terminal = !plain && System.console() != null && !"dumb".equals(System.getenv("TERM"));
    Demo.Options options = new Demo.Options(dataDir, apicurioHome, configFile, partitions, dayLength, rate, seed,
        Duration.ofSeconds(terminal ? 1 : 10), terminal);
    quietLogsUnlessAsked();
    out.println("Starting the navstream demo: Kafka broker, schema registry, simulator and app...");
    out.flush();
    Demo demo = Demo.start(options, out);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      demo.close();
      stopped.countDown();
    }, "navstream-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (duration != null) {
      if (!stopped.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
        Runtime.getRuntime().removeShutdownHook(hook);
        demo.close();
      }
    } else {
      stopped.await();
    }
    out.println("navstream demo stopped; its data is in " + dataDir.toAbsolutePath());
    out.flush();
    return 0;
  }

  /**
   * The console belongs to the live view: navstream's and Kafka Streams' INFO lines would scroll it
   * away. NAVSTREAM_LOG_LEVEL brings them back.
   */
  private static void quietLogsUnlessAsked() {
    if (System.getenv("NAVSTREAM_LOG_LEVEL") != null) {
      return;
    }
    for (String name : new String[] {"io.navstream", "org.apache.kafka.streams",
        "org.apache.kafka.streams.KafkaStreams", "org.apache.kafka.streams.processor.internals.StreamThread",
        "org.apache.kafka.streams.processor.internals.StateDirectory"}) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.WARN);
      }
    }
  }
}
