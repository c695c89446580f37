package io.navstream.demo;

import io.navstream.app.NavstreamApp;
import io.navstream.config.Source;
import io.navstream.query.OperatorApi;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.embedded.ApicurioRegistry;
import io.navstream.embedded.EmbeddedKafka;
import io.navstream.embedded.RegistryRules;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.simulator.DemoFunds;
import io.navstream.simulator.FundingModel;
import io.navstream.simulator.PacedSimulation;
import io.navstream.simulator.PriceSimulator;
import io.navstream.simulator.Scenario;
import io.navstream.simulator.SimulatorClients;
import io.navstream.simulator.SimulatorPublisher;
import io.navstream.simulator.SymbolModel;
import io.navstream.simulator.TimeScale;
import io.navstream.simulator.WallClock;
import io.navstream.topology.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * navstream in one process: an in-process KRaft broker, Apicurio Registry as a child process, the
 * demo funds, the price simulator and the app itself, all under one data directory so that a demo
 * stopped and started again picks up where it was.
 */
public final class Demo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Demo.class);
  public static final String APPLICATION_ID = "navstream-demo";

  /**
   * @param dataDir everything the demo keeps: broker log, registry database, state stores
   * @param apicurioHome the unpacked Apicurio distribution, or null to look in the usual places
   * @param configFile an optional navstream properties file layered under the demo's own settings
   * @param partitions partitions of navstream's topics
   * @param dayLength wall time of one simulated day (compressed, so daily rebalances are seen)
   * @param ticksPerSecond price ticks per wall second per symbol
   * @param seed the simulator's seed
   * @param viewInterval how often the live view is drawn
   * @param redraw redraw the view in place (a terminal) rather than print blocks
   */
  public record Options(Path dataDir, Path apicurioHome, Path configFile, int partitions, Duration dayLength,
      double ticksPerSecond, long seed, Duration viewInterval, boolean redraw) {}

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final EmbeddedKafka kafka;
  private final ApicurioRegistry registry;
  private final NavstreamApp app;
  private OperatorApi api;
  private final SimulatorPublisher publisher;
  private final LiveView view;
  private final Thread viewThread;
  private final Duration startupTime;
  private boolean closed;

  private Demo(Options options, PrintWriter out) {
    long started = System.nanoTime();
    Path dataDir = options.dataDir().toAbsolutePath();
    createDirectories(dataDir);
    // The broker and the registry are independent: start them side by side.
    CompletableFuture<EmbeddedKafka> kafkaStart =
        CompletableFuture.supplyAsync(() -> EmbeddedKafka.start(dataDir.resolve("kafka")));
    CompletableFuture<ApicurioRegistry> registryStart = CompletableFuture.supplyAsync(
        () -> ApicurioRegistry.startPersistent(options.apicurioHome(), dataDir.resolve("registry")));
    try {
      kafka = join(kafkaStart);
      resources.add(kafka);
      registry = join(registryStart);
      resources.add(registry);
    } catch (RuntimeException e) {
      kafkaStart.thenAccept(Demo::closeQuietly);
      registryStart.thenAccept(Demo::closeQuietly);
      throw e;
    }
    try {
      RegistryRules.applyGlobalDefault(registry.url());
      NavstreamConfig config = NavstreamConfig.load(options.configFile())
          .withOverrides("demo", Map.of(
              ConfigKeys.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
              ConfigKeys.REGISTRY_URL, registry.url(),
              ConfigKeys.APPLICATION_ID, APPLICATION_ID,
              ConfigKeys.STATE_DIR, dataDir.resolve("state").toString(),
              ConfigKeys.TOPICS_PARTITIONS, Integer.toString(options.partitions()),
              ConfigKeys.TOPICS_REPLICATION_FACTOR, "1"));
      if (config.httpEnabled()) {
        api = startApi(config);
        resources.add(0, api);
        config = api.withApplicationServer(config);
      }
      app = new NavstreamApp(config);
      resources.add(0, app);
      if (api != null) {
        api.attach(app);
        resources.remove(api);
        resources.add(0, api); // closed before the app
      }
      app.start();
      RegistryRules.requireFullTransitive(registry.url(), config.topicNames());

      SchemaRegistry client = SchemaRegistries.connect(config.registrySettings());
      resources.add(0, client);
      Topics topics = new Topics(config.topicNames(), new AvroSerdes(client, true));

      MarketResume resume;
      boolean fundsDefined;
      try (KafkaConsumer<String, byte[]> probe = consumer(kafka, "navstream-demo-probe")) {
        resume = MarketResume.read(probe, topics);
        fundsDefined = probe.partitionsFor(topics.fundDefinitions().name(), Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .mapToLong(tp -> probe.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp))
            .sum() > 0;
      }

      Producer<String, byte[]> producer = new KafkaProducer<>(
          SimulatorClients.producerProperties(config), new StringSerializer(), new ByteArraySerializer());
      resources.add(0, producer);
      TimeScale timeScale = new TimeScale(options.dayLength());
      Duration tick = timeScale.tickInterval(options.ticksPerSecond());
      Instant start = resume.isEmpty()
          ? Instant.now().truncatedTo(ChronoUnit.SECONDS)
          : resume.lastEventTime().plus(tick);
      Scenario scenario = new Scenario(options.seed(), start, symbols(resume, tick), FundingModel.defaults());
      publisher = new SimulatorPublisher(producer, topics,
          new PacedSimulation(new PriceSimulator(scenario), timeScale, WallClock.system(), null));
      resources.add(0, publisher::stop);
      if (!fundsDefined) {
        publisher.publishFundDefinitions(DemoFunds.definitions());
      }

      view = new LiveView(consumer(kafka, "navstream-demo-view-" + UUID.randomUUID()), topics, out,
          options.redraw(), options.viewInterval());
      viewThread = new Thread(view, "navstream-demo-view");
      startupTime = Duration.ofNanos(System.nanoTime() - started);
      banner(out, options, dataDir, resume, fundsDefined);
      publisher.start();
      viewThread.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The operator API on the configured port; when that is the default (8080) and taken, on any
   * free port instead, since the demo is often started next to other programs.
   */
  private static OperatorApi startApi(NavstreamConfig config) {
    try {
      return OperatorApi.start(config);
    } catch (RuntimeException e) {
      boolean defaultPort = config.sourceOf(ConfigKeys.HTTP_PORT)
          .map(s -> s.layer() == Source.Layer.DEFAULT).orElse(true);
      if (!defaultPort) {
        throw e;
      }
      return OperatorApi.start(config.withOverrides("demo-http", Map.of(ConfigKeys.HTTP_PORT, "0")));
    }
  }

  /** The operator API's URL, or null when {@code http.enabled} is false. */
  public String apiUrl() {
    return api == null ? null : api.url();
  }

  /** Starts everything; the caller closes the demo (Ctrl-C does, through the command's hook). */
  public static Demo start(Options options, PrintWriter out) {
    return new Demo(options, out);
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public String registryUrl() {
    return registry.url();
  }

  public Duration startupTime() {
    return startupTime;
  }

  public long navUpdatesSeen() {
    return view.navUpdatesSeen();
  }

  public long rebalancesSeen() {
    return view.rebalancesSeen();
  }

  public NavstreamApp app() {
    return app;
  }

  /** Stops the simulator first and the broker last, so nothing is cut off mid-write. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (view != null) {
      view.stop();
      try {
        viewThread.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (publisher != null) {
      publisher.stop();
      try {
        publisher.awaitTermination(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (AutoCloseable resource : resources) {
      closeQuietly(resource);
    }
  }

  private void banner(PrintWriter out, Options options, Path dataDir, MarketResume resume, boolean resumed) {
    out.printf(Locale.ROOT, "navstream demo is running (started in %.1f s)%n", startupTime.toMillis() / 1000.0);
    out.printf(Locale.ROOT, "  Kafka bootstrap servers: %s%n", kafka.bootstrapServers());
    out.printf(Locale.ROOT, "  Schema registry:         %s%n", registry.url());
    if (api != null) {
      out.printf(Locale.ROOT, "  Operator API:            %s  (try %s/funds)%n", api.url(), api.url());
      out.printf(Locale.ROOT, "  Dashboard:               %s/dashboard/%n", api.url());
    }
    out.printf(Locale.ROOT, "  Data directory:          %s%n", dataDir);
    out.printf(Locale.ROOT, "  Simulated day:           %s of wall time; %s ticks/s per symbol%n",
        options.dayLength(), options.ticksPerSecond());
    if (resumed) {
      out.printf(Locale.ROOT, "  Resumed: funds already defined; market continues from %s%n",
          resume.lastEventTime());
    }
    out.println("Any Kafka client can attach to the servers above. Ctrl-C stops the demo.");
    out.println();
    out.flush();
  }

  private static List<SymbolModel> symbols(MarketResume resume, Duration tick) {
    List<SymbolModel> models = new ArrayList<>();
    for (String symbol : DemoFunds.underlyings()) {
      BigDecimal last = resume.lastPrices().get(symbol);
      models.add(last == null ? SymbolModel.of(symbol, tick) : SymbolModel.of(symbol, last.doubleValue(), tick));
    }
    return models;
  }

  private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafka kafka, String groupId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the data directory " + dir, e);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.warn("Closing {} failed", c, e);
    }
  }

}
