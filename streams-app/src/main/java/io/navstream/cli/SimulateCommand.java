package io.navstream.cli;

import io.navstream.app.TopicProvisioner;
import io.navstream.app.TopicProvisioningException;
import io.navstream.config.ConfigException;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.simulator.DemoFunds;
import io.navstream.simulator.FundingModel;
import io.navstream.simulator.PacedSimulation;
import io.navstream.simulator.PriceSimulator;
import io.navstream.simulator.PublishException;
import io.navstream.simulator.Scenario;
import io.navstream.simulator.SimulatorClients;
import io.navstream.simulator.SimulatorPublisher;
import io.navstream.simulator.SymbolModel;
import io.navstream.simulator.TimeScale;
import io.navstream.simulator.WallClock;
import io.navstream.topology.Topics;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code navstream simulate}: publishes a simulated market (prices and funding rates, optionally the
 * demo funds) to navstream's input topics, paced by the wall clock.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Publishes simulated prices (geometric Brownian motion with jumps) and funding rates to"
          + " navstream's input topics, paced by the wall clock, until --duration, --max-ticks or"
          + " Ctrl-C.",
      "The same --seed, --symbols, --rate, --day-length and --start give the same records.",
      "Configuration as for `run`: built-in defaults, then --config FILE, then NAVSTREAM_*"
          + " environment variables, then --bootstrap-servers and --schema-registry-url.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:finished or stopped cleanly",
      "1:publishing failed (Kafka, the schema registry, or the topics)",
      "2:invalid configuration or usage"
    })
public final class SimulateCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(SimulateCommand.class);

  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_CONFIG = 2;

  static final String DEFAULT_SYMBOLS = "BTC-USDT=60000,ETH-USDT=3000,SOL-USDT=150";
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final double MAX_RATE = 1_000;

  @Spec private CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file of navstream settings (topic names, registry, kafka.*).")
  private Path configFile;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka brokers; overrides bootstrap.servers.")
  private String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL",
      description = "Schema registry; overrides schema.registry.url.")
  private String schemaRegistryUrl;

  @Option(
      names = "--symbols",
      paramLabel = "SYMBOL[=PRICE]",
      split = ",",
      defaultValue = DEFAULT_SYMBOLS,
      converter = SymbolOptionConverter.class,
      description = "Symbols and start prices (default: ${DEFAULT-VALUE}). BTC-USDT, ETH-USDT and"
          + " SOL-USDT have a default price.")
  private List<SymbolOption> symbols;

  @Option(
      names = "--rate",
      paramLabel = "N",
      defaultValue = "10",
      description = "Price ticks per wall-clock second per symbol (default: ${DEFAULT-VALUE}).")
  private double rate;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(
      names = "--day-length",
      paramLabel = "DURATION",
      defaultValue = "PT24H",
      converter = DurationConverter.class,
      description = "Wall-clock time of one simulated day, ISO-8601 (default: ${DEFAULT-VALUE},"
          + " real time; PT2M shows a daily rebalance every two minutes).")
  private Duration dayLength;

  @Option(
      names = "--start",
      paramLabel = "INSTANT",
      converter = InstantConverter.class,
      description = "Simulated time of the first tick, e.g. 2025-01-01T00:00:00Z (default: now, to"
          + " the second). Must be after the previous run's last tick, or navstream rejects the"
          + " ticks as late.")
  private Instant start;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Wall-clock time to run, ISO-8601, e.g. PT10M (default: until stopped).")
  private Duration duration;

  @Option(
      names = "--max-ticks",
      paramLabel = "N",
      description = "Stop after N price ticks in all (default: no limit).")
  private Long maxTicks;

  @Option(
      names = "--funding",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Publish funding rates every 8 simulated hours, at 00:00, 08:00 and 16:00 UTC"
          + " (default: on).")
  private boolean funding;

  @Option(
      names = "--publish-demo-funds",
      description = "First publish the demo funds (BTC/ETH/SOL 3x long and short, BTC 5x long and"
          + " short) to the fund-definitions topic.")
  private boolean publishDemoFunds;

  private final Wiring wiring;

  /** For picocli. */
  public SimulateCommand() {
    this(Wiring.live());
  }

  SimulateCommand(Wiring wiring) {
    this.wiring = Objects.requireNonNull(wiring, "wiring");
  }

  /**
   * What the command connects to and reads the time from; tests replace it.
   *
   * @param environment the variables NavstreamConfig reads NAVSTREAM_* settings from
   * @param provisionTopics checks or creates navstream's topics, throwing {@link
   *     TopicProvisioningException} when they are missing or mis-shaped
   */
  record Wiring(
      Map<String, String> environment,
      Consumer<NavstreamConfig> provisionTopics,
      Function<NavstreamConfig, SchemaRegistry> registries,
      Function<Properties, Producer<String, byte[]>> producers,
      WallClock clock,
      Supplier<Instant> now) {

    static Wiring live() {
      return new Wiring(
          System.getenv(),
          SimulateCommand::provisionTopics,
          config -> SchemaRegistries.connect(config.registrySettings()),
          props -> new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()),
          WallClock.system(),
          Instant::now);
    }
  }

  /** The validated options: everything the simulation needs, before any connection. */
  private record Plan(Scenario scenario, TimeScale timeScale, Instant end, long maxPriceTicks) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Plan plan = plan();

    NavstreamConfig config;
    try {
      config = config();
    } catch (ConfigException e) {
      err.println("Invalid configuration: " + e.getMessage());
      return EXIT_CONFIG;
    }
    List<String> missing = new ArrayList<>();
    if (config.bootstrapServers().isEmpty()) {
      missing.add("no Kafka given: use --bootstrap-servers, or set " + ConfigKeys.BOOTSTRAP_SERVERS
          + " in the config file or NAVSTREAM_BOOTSTRAP_SERVERS");
    }
    if (config.schemaRegistryUrl().isEmpty()) {
      missing.add("no schema registry given: use --schema-registry-url, or set "
          + ConfigKeys.REGISTRY_URL + " in the config file or NAVSTREAM_SCHEMA_REGISTRY_URL");
    }
    if (!missing.isEmpty()) {
      missing.forEach(err::println);
      return EXIT_CONFIG;
    }
    log.info("Effective configuration:{}{}", System.lineSeparator(), config.describe());
    return simulate(config, plan, out, err);
  }

  private Plan plan() {
    if (!(rate > 0 && rate <= MAX_RATE)) {
      throw usage("--rate " + rate + " must be above 0 and at most " + MAX_RATE);
    }
    if (maxTicks != null && maxTicks < 1) {
      throw usage("--max-ticks " + maxTicks + " must be at least 1");
    }
    if (duration != null && (duration.isZero() || duration.isNegative())) {
      throw usage("--duration " + duration + " must be positive");
    }
    Set<String> seen = new HashSet<>();
    for (SymbolOption s : symbols) {
      if (!seen.add(s.symbol())) {
        throw usage("--symbols names " + s.symbol() + " twice");
      }
    }
    try {
      TimeScale timeScale = new TimeScale(dayLength);
      Duration interval = timeScale.tickInterval(rate);
      List<SymbolModel> models = new ArrayList<>();
      for (SymbolOption s : symbols) {
        models.add(s.startPrice() == null
            ? SymbolModel.of(s.symbol(), interval)
            : SymbolModel.of(s.symbol(), s.startPrice(), interval));
      }
      Instant first = start != null ? start : wiring.now().get().truncatedTo(ChronoUnit.SECONDS);
      Scenario scenario =
          new Scenario(seed, first, models, funding ? FundingModel.defaults() : null);
      Instant end =
          duration == null ? null : PacedSimulation.endAfter(first, timeScale, duration);
      return new Plan(scenario, timeScale, end,
          maxTicks == null ? SimulatorPublisher.UNLIMITED : maxTicks);
    } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
      throw usage(e.getMessage());
    }
  }

  private NavstreamConfig config() {
    NavstreamConfig config = NavstreamConfig.load(configFile, wiring.environment());
    Map<String, String> overrides = new LinkedHashMap<>();
    if (bootstrapServers != null) {
      overrides.put(ConfigKeys.BOOTSTRAP_SERVERS, bootstrapServers);
    }
    if (schemaRegistryUrl != null) {
      overrides.put(ConfigKeys.REGISTRY_URL, schemaRegistryUrl);
    }
    return overrides.isEmpty() ? config : config.withOverrides("command line", overrides);
  }

  private int simulate(NavstreamConfig config, Plan plan, PrintWriter out, PrintWriter err) {
    SchemaRegistry registry = null;
    Producer<String, byte[]> producer = null;
    SimulatorPublisher publisher = null;
    Thread hook = null;
    // Lets the shutdown hook wait until the summary is printed and the producer closed.
    CountDownLatch closed = new CountDownLatch(1);
    try {
      wiring.provisionTopics().accept(config);
      registry = wiring.registries().apply(config);
      Topics topics =
          new Topics(config.topicNames(), new AvroSerdes(registry, config.registrySettings().autoRegister()));
      producer = wiring.producers().apply(SimulatorClients.producerProperties(config));
      PacedSimulation paced = new PacedSimulation(
          new PriceSimulator(plan.scenario()), plan.timeScale(), wiring.clock(), plan.end());
      publisher = new SimulatorPublisher(
          producer, topics, paced, plan.maxPriceTicks(), SimulatorPublisher.Listener.NONE);
      describe(plan, config, out);

      if (publishDemoFunds) {
        int published = publisher.publishFundDefinitions(DemoFunds.definitions());
        out.printf(Locale.ROOT, "Published %d demo fund definitions to %s.%n",
            published, config.topicNames().fundDefinitions());
        out.flush();
      }

      SimulatorPublisher running = publisher;
      hook = new Thread(() -> {
        running.stop();
        awaitQuietly(closed, CLOSE_TIMEOUT.multipliedBy(2));
      }, "navstream-simulate-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);

      long wallStart = wiring.clock().nanoTime();
      publisher.start();
      while (!publisher.awaitTermination(PROGRESS_INTERVAL)) {
        out.println(progressLine(publisher.progress()));
        out.flush();
      }
      Duration wall = Duration.ofNanos(wiring.clock().nanoTime() - wallStart);
      out.println(summary(plan, publisher.progress(), wall));
      out.flush();
      Optional<PublishException> failure = publisher.failure();
      if (failure.isPresent()) {
        log.error("Publishing failed", failure.get());
        err.println(failure.get().getMessage());
        return EXIT_FAILED;
      }
      return EXIT_OK;
    } catch (TopicProvisioningException | PublishException e) {
      err.println(e.getMessage());
      return EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("simulate interrupted");
      return EXIT_FAILED;
    } catch (RuntimeException e) {
      log.error("simulate failed", e);
      err.println("simulate failed: " + e);
      return EXIT_FAILED;
    } finally {
      if (publisher != null) {
        stopAndWait(publisher);
      }
      if (producer != null) {
        producer.close(CLOSE_TIMEOUT);
      }
      if (registry != null) {
        registry.close();
      }
      closed.countDown();
      if (hook != null) {
        removeHook(hook);
      }
    }
  }

  private void describe(Plan plan, NavstreamConfig config, PrintWriter out) {
    Scenario s = plan.scenario();
    String symbolList = s.symbols().stream()
        .map(m -> m.symbol() + "=" + BigDecimal.valueOf(m.startPrice()).stripTrailingZeros().toPlainString())
        .collect(Collectors.joining(", "));
    Duration interval = s.symbols().get(0).tickInterval();
    out.printf(Locale.ROOT,
        "Simulating %s from %s, seed %d: %s ticks/s per symbol, a simulated day every %s (%sx),"
            + " a tick every %s of simulated time, %s.%n",
        symbolList, s.start(), s.seed(), number(rate), plan.timeScale().dayLength(),
        number(plan.timeScale().speedUp()), interval,
        s.funding() == null ? "no funding" : "funding every " + s.funding().interval());
    List<String> limits = new ArrayList<>();
    if (plan.end() != null) {
      limits.add("simulated time " + plan.end() + " (" + duration + " of wall time)");
    }
    if (plan.maxPriceTicks() != SimulatorPublisher.UNLIMITED) {
      limits.add(plan.maxPriceTicks() + " price ticks");
    }
    limits.add("Ctrl-C");
    out.printf(Locale.ROOT, "Publishing to %s%s at %s until %s.%n",
        config.topicNames().prices(),
        s.funding() == null ? "" : " and " + config.topicNames().fundingRates(),
        config.bootstrapServers().orElse("?"), String.join(" or ", limits));
    out.flush();
  }

  static String progressLine(SimulatorPublisher.Progress p) {
    return String.format(Locale.ROOT, "%,d price ticks, %,d funding rates sent; simulated time %s",
        p.priceTicks(), p.fundingRates(), p.lastEventTime() == null ? "-" : p.lastEventTime());
  }

  private static String summary(Plan plan, SimulatorPublisher.Progress p, Duration wall) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "Done: %,d price ticks and %,d funding rates", p.priceTicks(), p.fundingRates()));
    if (p.fundDefinitions() > 0) {
      sb.append(String.format(Locale.ROOT, " (after %d fund definitions)", p.fundDefinitions()));
    }
    sb.append(String.format(Locale.ROOT, " in %.1f s of wall time", wall.toMillis() / 1000.0));
    if (p.lastEventTime() != null) {
      sb.append(String.format(Locale.ROOT, ", simulated %s to %s. A next run continues without"
              + " late input from --start %s",
          plan.scenario().start(), p.lastEventTime(), p.lastEventTime().plusMillis(1)));
    }
    return sb.append('.').toString();
  }

  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private static void stopAndWait(SimulatorPublisher publisher) {
    publisher.stop();
    try {
      if (!publisher.awaitTermination(CLOSE_TIMEOUT)) {
        log.warn("The simulator did not stop within {}", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitQuietly(CountDownLatch latch, Duration timeout) {
    try {
      latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down and the hook has run (or is running).
    }
  }

  /** Creates missing topics (when topics.create) and checks partitions, as `run` does. */
  private static void provisionTopics(NavstreamConfig config) {
    Admin admin = Admin.create(SimulatorClients.adminConfig(config));
    try {
      new TopicProvisioner(admin, config.topicProvisionTimeout())
          .provision(config.topicNames(), config.partitions(), config.replicationFactor(),
              config.createTopics());
    } finally {
      admin.close(ADMIN_CLOSE_TIMEOUT);
    }
  }

  /**
   * One {@code --symbols} entry.
   *
   * @param startPrice null for the symbol's default
   */
  record SymbolOption(String symbol, Double startPrice) {}

  static final class SymbolOptionConverter implements ITypeConverter<SymbolOption> {
    @Override
    public SymbolOption convert(String value) {
      String text = value.trim();
      int eq = text.indexOf('=');
      String symbol = (eq < 0 ? text : text.substring(0, eq)).trim();
      if (symbol.isEmpty()) {
        throw new TypeConversionException("'" + value + "' has no symbol; expected SYMBOL or SYMBOL=PRICE");
      }
      if (eq < 0) {
        if (SymbolModel.defaultStartPrice(symbol).isEmpty()) {
          throw new TypeConversionException(symbol + " has no default start price; give one as "
              + symbol + "=PRICE");
        }
        return new SymbolOption(symbol, null);
      }
      String price = text.substring(eq + 1).trim();
      double parsed;
      try {
        parsed = Double.parseDouble(price);
      } catch (NumberFormatException e) {
        parsed = Double.NaN;
      }
      if (!(parsed > 0 && parsed <= SymbolModel.MAX_PRICE) || !price.matches("[0-9.eE+-]+")) {
        throw new TypeConversionException("'" + price + "' is not a start price for " + symbol
            + "; expected a positive number such as " + symbol + "=100.5");
      }
      return new SymbolOption(symbol, parsed);
    }
  }

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 duration such as PT2M, PT10M or PT24H");
      }
    }
  }

  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 UTC instant such as 2025-01-01T00:00:00Z");
      }
    }
  }
}
