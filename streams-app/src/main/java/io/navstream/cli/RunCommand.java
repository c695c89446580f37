package io.navstream.cli;

import io.navstream.app.NavstreamApp;
import io.navstream.app.TopicProvisioningException;
import io.navstream.config.ConfigException;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.query.OperatorApi;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.KafkaStreams.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code navstream run}: runs the streams application against a Kafka cluster until stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Computes live NAV against a Kafka cluster until stopped (Ctrl-C or SIGTERM).",
      "Configuration: built-in defaults, then --config FILE, then NAVSTREAM_* environment"
          + " variables (NAVSTREAM_ + key upper-cased, '.' and '-' as '_';"
          + " NAVSTREAM_KAFKA_<NAME> passes <name> to Kafka Streams).",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly",
      "1:stopped with an error (startup failure, topic problems, or the instance shut itself down)",
      "2:invalid configuration or usage"
    })
public final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_CONFIG = 2;

  static final String NO_KAFKA =
      "no Kafka given: set " + ConfigKeys.BOOTSTRAP_SERVERS + " in the file or"
          + " NAVSTREAM_BOOTSTRAP_SERVERS; a later `demo` command starts an embedded broker";
  static final String NO_REGISTRY =
      "no schema registry given: set " + ConfigKeys.REGISTRY_URL + " in the file or"
          + " NAVSTREAM_SCHEMA_REGISTRY_URL";

  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file of navstream settings (see the README for the keys).")
  private Path configFile;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    NavstreamConfig config;
    try {
      config = NavstreamConfig.load(configFile);
    } catch (ConfigException e) {
      err.println("Invalid configuration: " + e.getMessage());
      return EXIT_CONFIG;
    }
    log.info("Effective configuration:{}{}", System.lineSeparator(), config.describe());

    List<String> missing = new ArrayList<>();
    if (config.bootstrapServers().isEmpty()) {
      missing.add(NO_KAFKA);
    }
    if (config.schemaRegistryUrl().isEmpty()) {
      missing.add(NO_REGISTRY);
    }
    if (!missing.isEmpty()) {
      missing.forEach(err::println);
      return EXIT_CONFIG;
    }
    return run(config, err);
  }

  private int run(NavstreamConfig config, PrintWriter err) {
    NavstreamApp app;
    OperatorApi api = null;
    try {
      // The HTTP API starts first, so that its actual port becomes Kafka Streams' application.server.
      if (config.httpEnabled()) {
        api = OperatorApi.start(config);
        config = api.withApplicationServer(config);
        log.info("Operator API at {}", api.url());
      }
      app = new NavstreamApp(config);
      if (api != null) {
        api.attach(app);
      }
    } catch (RuntimeException e) {
      log.error("navstream failed to initialise", e);
      err.println("navstream failed to initialise: " + e.getMessage());
      if (api != null) {
        api.close();
      }
      return EXIT_FAILED;
    }
    // Closes the streams cleanly on SIGTERM / Ctrl-C; main then sees NOT_RUNNING and returns.
    Thread hook = new Thread(app::close, "navstream-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      app.start();
      State end = app.awaitTermination();
      if (end == State.ERROR) {
        err.println("navstream stopped with an error; see the log above");
        return EXIT_FAILED;
      }
      log.info("navstream stopped");
      return EXIT_OK;
    } catch (TopicProvisioningException e) {
      err.println(e.getMessage());
      return EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("navstream interrupted");
      return EXIT_FAILED;
    } catch (RuntimeException e) {
      log.error("navstream failed", e);
      err.println("navstream failed: " + e);
      return EXIT_FAILED;
    } finally {
      app.close();
      if (api != null) {
        api.close();
      }
      removeHook(hook);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook has run (or is running) app.close().
    }
  }
}
