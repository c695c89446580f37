package io.navstream.replay;

import io.navstream.serde.AvroSerdes;
import io.navstream.serde.InMemorySchemaRegistry;
import io.navstream.serde.SchemaRegistry;
import io.navstream.topology.NavTopology;
import io.navstream.topology.Topic;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import io.navstream.topology.TopologySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Replays fund definitions, prices, funding rates, operator commands, fund flows and token prices
 * from files through the navstream topology, offline, with Kafka's {@link TopologyTestDriver}, and
 * writes what the topology produces as JSON lines. The topology is the very one {@code run}
 * deploys; only the stores are in memory and without changelogs ({@link TopologySettings#replay()}).
 *
 * <p>Inputs are fed one record at a time in timestamp order across the files, through a stable
 * merge (see {@link StableMerge}): at equal timestamps definitions first, then flows, funding,
 * prices, commands, and token prices. Outputs are drained after every input, so memory stays flat
 * whatever the input size. The driver's wall-clock time follows event time, so wall-clock
 * punctuations fire as they would live.
 *
 * <p>With {@link Builder#threads} above 1 the inputs are spread over several drivers by fund group
 * and underlying, and their outputs merged back in the single driver's order ({@link
 * ShardedReplay}); except with token prices, which always replay on one driver (see {@link
 * ShardPlan}).
 *
 * <p>A driver runs once; build it with {@link #builder()}.
 */
public final class ReplayDriver {
  /** The application id of the replay's (never started) Kafka Streams instance. */
  public static final String APPLICATION_ID = "navstream-replay";

  /** Output files, in the output directory. */
  public static final String NAV_UPDATES_FILE = ReplayOutputs.NAV_UPDATES_FILE;

  public static final String REBALANCE_INSTRUCTIONS_FILE =
      ReplayOutputs.REBALANCE_INSTRUCTIONS_FILE;
  public static final String FUND_STATE_FILE = ReplayOutputs.FUND_STATE_FILE;
  public static final String DEAD_LETTER_FILE = ReplayOutputs.DEAD_LETTER_FILE;
  public static final String FLOW_RESULTS_FILE = ReplayOutputs.FLOW_RESULTS_FILE;
  public static final String CORPORATE_ACTIONS_FILE = ReplayOutputs.CORPORATE_ACTIONS_FILE;
  public static final String PREMIUM_DISCOUNT_FILE = ReplayOutputs.PREMIUM_DISCOUNT_FILE;

  /** Bad rows listed on the diagnostics writer by default; the rest are only counted. */
  public static final int DEFAULT_MAX_LISTED_BAD_ROWS = 1000;

  private static final int PROGRESS_EVERY = 1024;

  private final Path funds;
  private final Path prices;
  private final Path funding;
  private final Path commands;
  private final Path flows;
  private final Path tokenPrices;
  private final Path outputDirectory;
  private final PrintWriter diagnostics;
  private final ReplayProgress progress;
  private final TopicNames names;
  private final BiFunction<TopologySettings, Topics, Topology> topologyFactory;
  private final Map<String, Object> streamsOverrides;
  private final int maxListedBadRows;
  private final int threads;
  private final int pipeCommitEvery;

  private ReplayDriver(Builder b) {
    this.funds = Objects.requireNonNull(b.funds, "funds file");
    this.prices = Objects.requireNonNull(b.prices, "prices file");
    this.funding = b.funding;
    this.commands = b.commands;
    this.flows = b.flows;
    this.tokenPrices = b.tokenPrices;
    this.outputDirectory = Objects.requireNonNull(b.outputDirectory, "output directory");
    this.diagnostics = Objects.requireNonNull(b.diagnostics, "diagnostics writer");
    this.progress = b.progress;
    this.names = b.names;
    this.topologyFactory = b.topologyFactory;
    this.streamsOverrides = Map.copyOf(b.streamsOverrides);
    this.maxListedBadRows = b.maxListedBadRows;
    this.threads = b.threads;
    this.pipeCommitEvery = b.pipeCommitEvery;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A rough row count of a CSV file from its size, without reading it all. */
  public static long estimateRows(Path csv) throws IOException {
    return CsvEventSource.estimateRows(csv);
  }

  /**
   * Runs the replay. Bad input rows are reported to the diagnostics writer and skipped. Calls
   * {@link ReplayProgress#start} and {@link ReplayProgress#close} on the progress given.
   *
   * @throws ReplayInputException when an input file cannot be used at all
   * @throws IOException when reading or writing fails
   * @throws org.apache.kafka.common.KafkaException when the topology fails (a StreamsException) or
   *     cannot serialize a record; the outputs written so far are flushed
   */
  public ReplayResult run() throws IOException {
    long started = System.nanoTime();
    BadRows badRows = new BadRows(diagnostics, maxListedBadRows);
    List<FundsFile.Entry> entries = FundsFile.read(funds, badRows);

    List<EventSource> sources = new ArrayList<>(5);
    try {
      EventSource fundingSource =
          funding == null ? EventSource.empty() : CsvEventSource.funding(funding, badRows);
      sources.add(fundingSource);
      CsvEventSource priceSource = CsvEventSource.prices(prices, badRows);
      sources.add(priceSource);
      EventSource commandSource =
          commands == null ? EventSource.empty() : CsvEventSource.commands(commands, badRows);
      sources.add(commandSource);
      EventSource flowSource = flows == null ? EventSource.empty() : CsvEventSource.flows(flows, badRows);
      sources.add(flowSource);
      EventSource tokenSource =
          tokenPrices == null ? EventSource.empty() : CsvEventSource.tokenPrices(tokenPrices, badRows);
      sources.add(tokenSource);

      long undated = undatedTimestamp(entries, fundingSource.peek(), priceSource.peek());
      List<ReplayEvent> definitions = FundsFile.toEvents(entries, undated);
      // Tie order: definitions, flows (so a tick at a flow's own time prices it), funding, prices,
      // operator commands, then token prices (after the NAV of their time).
      StableMerge merge = new StableMerge(List.of(EventSource.of(definitions), flowSource,
          fundingSource, priceSource, commandSource, tokenSource));
      ReplayEvent first = merge.peek();
      long startTime = first == null ? 0 : first.timestamp();

      progress.start(progress == ReplayProgress.NONE ? 0 : CsvEventSource.estimateRows(prices));
      try {
        return replay(merge, definitions, startTime, badRows, started);
      } finally {
        progress.close();
      }
    } finally {
      Closing.closeAll(sources);
    }
  }

  /** A fresh copy of the topology with its own serdes and schema registry. */
  private record Instance(SchemaRegistry registry, Topics topics, Topology topology) {}

  private Instance instance() {
    SchemaRegistry registry = new InMemorySchemaRegistry();
    Topics topics = new Topics(names, new AvroSerdes(registry, true));
    TopologySettings settings = TopologySettings.replay();
    // Without token prices the premium join has nothing to join: leave it out (README, "Replay").
    return new Instance(registry, topics, topologyFactory.apply(
        tokenPrices == null ? settings.withoutPremium() : settings, topics));
  }

  private ReplayResult replay(StableMerge merge, List<ReplayEvent> definitions, long startTime,
      BadRows badRows, long started) throws IOException {
    Instance instance = instance();
    Predicate<String> consumed = sourceTopics(instance.topology());
    Topics topics = instance.topics();
    warnIfNotConsumed(consumed, topics.fundDefinitions(), "fund definitions");
    warnIfNotConsumed(consumed, topics.prices(), "prices");
    if (funding != null) {
      warnIfNotConsumed(consumed, topics.fundingRates(), "funding rates");
    }
    if (commands != null) {
      warnIfNotConsumed(consumed, topics.fundCommands(), "operator commands");
    }
    if (flows != null) {
      warnIfNotConsumed(consumed, topics.fundFlows(), "fund flows");
    }
    if (tokenPrices != null) {
      warnIfNotConsumed(consumed, topics.tokenPrices(), "token prices");
    }
    InputCounts counts = new InputCounts();
    for (ReplayEvent.Kind kind : ReplayEvent.Kind.values()) {
      counts.delivered(kind, consumed.test(DriverInputs.topicOf(kind, topics).name()));
    }

    // Only now that the inputs have proved readable.
    Files.createDirectories(outputDirectory);
    Path stateDir = Files.createTempDirectory("navstream-replay-");
    try {
      ShardedReplay.Outputs outputs;
      if (threads > 1 && tokenPrices != null) {
        diagnostics.println("note: with --token-prices the replay runs on one driver: the premium"
            + " join holds each token price until a later token price of any fund is past the"
            + " grace period, so no fund's premiums can be replayed apart from the others'");
        diagnostics.flush();
      }
      if (threads == 1 || tokenPrices != null) {
        outputs = replayOnOneDriver(merge, instance, startTime, stateDir, counts);
      } else {
        ShardedReplay.ShardFactory shards = (shard, handoff, in, out) -> {
          Instance own = instance();
          return new ReplayShard(own.topology(), own.topics(), own.registry(),
              streamsConfig(Files.createDirectories(stateDir.resolve("shard-" + shard))),
              startTime, handoff, in, out, pipeCommitEvery);
        };
        outputs = new ShardedReplay(threads, shards, outputDirectory, progress)
            .run(merge, new ShardPlan(threads, definitions), counts);
      }
      return new ReplayResult(
          counts.definitions,
          counts.retirements,
          counts.prices,
          counts.funding,
          counts.commands,
          badRows.count(),
          outputs.lines(ReplayOutputs.NAV_UPDATES_FILE),
          outputs.lines(ReplayOutputs.REBALANCE_INSTRUCTIONS_FILE),
          outputs.lines(ReplayOutputs.FUND_STATE_FILE),
          outputs.lines(ReplayOutputs.DEAD_LETTER_FILE),
          outputs.otherTopics(),
          counts.notDelivered,
          Duration.ofNanos(System.nanoTime() - started),
          counts.flows,
          counts.tokenPrices,
          outputs.lines(ReplayOutputs.FLOW_RESULTS_FILE),
          outputs.lines(ReplayOutputs.CORPORATE_ACTIONS_FILE),
          outputs.lines(ReplayOutputs.PREMIUM_DISCOUNT_FILE));
    } finally {
      deleteRecursively(stateDir);
    }
  }

  /** The whole replay through one driver on this thread ({@code --threads 1}, token prices). */
  private ShardedReplay.Outputs replayOnOneDriver(StableMerge merge, Instance instance,
      long startTime, Path stateDir, InputCounts counts) throws IOException {
    Topics topics = instance.topics();
    ReplayOutputs outputs = null;
    Throwable failure = null;
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            instance.topology(), streamsConfig(stateDir), Instant.ofEpochMilli(startTime))) {
      outputs = ReplayOutputs.toFiles(driver, topics, outputDirectory,
          new DeadLetterValues(instance.registry()));
      DriverInputs inputs = new DriverInputs(driver, topics, null, pipeCommitEvery);

      DriverClock wallClock = new DriverClock(driver, startTime);
      long events = 0;
      ReplayEvent e;
      while ((e = merge.poll()) != null) {
        long t = e.timestamp();
        // Live, an input arrives about when it happened: let wall-clock punctuations due by then
        // fire first.
        wallClock.advanceTo(t);
        if (counts.count(e) >= 0) {
          inputs.pipe(e);
        }
        outputs.drain();
        if (++events % PROGRESS_EVERY == 0) {
          progress.update(counts.prices);
        }
      }
      progress.update(counts.prices);
      outputs.drain();
      outputs.close();
      return new ShardedReplay.Outputs(outputs.lines(), outputs.otherTopics());
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      try {
        if (outputs != null) {
          outputs.close(); // idempotent; flushes what was written when the topology failed
        }
      } catch (IOException | RuntimeException | Error e) {
        if (failure == null) {
          throw e;
        }
        if (e != failure) {
          failure.addSuppressed(e); // the first failure is the one to report
        }
      }
    }
  }

  private Properties streamsConfig(Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    // Never contacted: the test driver has no network.
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay.invalid:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    // Inputs arrive one at a time, already in order, so waiting for other partitions buys
    // nothing; and the idling check formats a log message per record, a third of the cost.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    props.putAll(streamsOverrides);
    // Last, so that nothing overrides what the topology relies on.
    props.putAll(NavTopology.requiredStreamsConfig(names));
    return props;
  }

  /** "Before the first price": the first timestamp of the prices and funding files. */
  private static long undatedTimestamp(
      List<FundsFile.Entry> entries, ReplayEvent firstFunding, ReplayEvent firstPrice) {
    long t = Long.MAX_VALUE;
    if (firstFunding != null) {
      t = firstFunding.timestamp();
    }
    if (firstPrice != null) {
      t = Math.min(t, firstPrice.timestamp());
    }
    if (t == Long.MAX_VALUE) {
      // No market data at all: with the earliest dated entry, else at the epoch.
      t =
          entries.stream()
              .map(FundsFile.Entry::effectiveTime)
              .filter(Objects::nonNull)
              .min(Comparator.naturalOrder())
              .orElse(0L);
    }
    return t;
  }

  /** Whether the topology reads a topic, from its description (names and patterns). */
  private static Predicate<String> sourceTopics(Topology topology) {
    List<Predicate<String>> readers = new ArrayList<>();
    TopologyDescription description = topology.describe();
    Stream<TopologyDescription.Source> sources =
        Stream.concat(
            description.subtopologies().stream()
                .flatMap(s -> s.nodes().stream())
                .filter(TopologyDescription.Source.class::isInstance)
                .map(TopologyDescription.Source.class::cast),
            description.globalStores().stream().map(TopologyDescription.GlobalStore::source));
    sources.forEach(
        source -> {
          if (source.topicSet() != null) {
            readers.add(source.topicSet()::contains);
          }
          if (source.topicPattern() != null) {
            readers.add(source.topicPattern().asMatchPredicate());
          }
        });
    return topic -> readers.stream().anyMatch(r -> r.test(topic));
  }

  private void warnIfNotConsumed(Predicate<String> consumed, Topic<?, ?> topic, String what) {
    if (!consumed.test(topic.name())) {
      diagnostics.println(
          "warning: the topology reads no topic '"
              + topic.name()
              + "'; "
              + what
              + " are counted but not delivered");
      diagnostics.flush();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(ReplayDriver::delete);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Settings of a {@link ReplayDriver}; funds, prices, output directory and diagnostics are
   * required.
   */
  public static final class Builder {
    private Path funds;
    private Path prices;
    private Path funding;
    private Path commands;
    private Path flows;
    private Path tokenPrices;
    private Path outputDirectory;
    private PrintWriter diagnostics;
    private ReplayProgress progress = ReplayProgress.NONE;
    private TopicNames names = TopicNames.defaults();
    private BiFunction<TopologySettings, Topics, Topology> topologyFactory = NavTopology::build;
    private Map<String, Object> streamsOverrides = Map.of();
    private int maxListedBadRows = DEFAULT_MAX_LISTED_BAD_ROWS;
    private int threads = 1;
    private int pipeCommitEvery = DirectPipe.COMMIT_EVERY;

    private Builder() {}

    /** The funds JSON file. */
    public Builder funds(Path file) {
      this.funds = file;
      return this;
    }

    /** The prices CSV file ({@code timestamp,symbol,price}). */
    public Builder prices(Path file) {
      this.prices = file;
      return this;
    }

    /** The funding CSV file ({@code timestamp,symbol,rate}); optional. */
    public Builder funding(Path file) {
      this.funding = file;
      return this;
    }

    /**
     * The operator commands CSV file ({@code timestamp,commandId,fundId,type}); optional. Commands
     * go to the fund-commands topic, after any input of the same timestamp.
     */
    public Builder commands(Path file) {
      this.commands = file;
      return this;
    }

    /** The fund flows CSV file ({@code timestamp,requestId,fundId,type,amount}); optional. */
    public Builder flows(Path file) {
      this.flows = file;
      return this;
    }

    /** The token market prices CSV file ({@code timestamp,fundId,price}); optional. */
    public Builder tokenPrices(Path file) {
      this.tokenPrices = file;
      return this;
    }

    /** Where the .jsonl files go; created when missing, files in it replaced. */
    public Builder outputDirectory(Path dir) {
      this.outputDirectory = dir;
      return this;
    }

    /** Where bad rows and warnings are reported (the command's stderr). */
    public Builder diagnostics(PrintWriter err) {
      this.diagnostics = err;
      return this;
    }

    public Builder progress(ReplayProgress progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** Topic names; they only matter to the topology, default {@link TopicNames#defaults()}. */
    public Builder topicNames(TopicNames names) {
      this.names = Objects.requireNonNull(names, "names");
      return this;
    }

    /**
     * The topology to replay through; {@link NavTopology#build} unless replaced, which only tests
     * and benchmarks of the replay machinery itself should do.
     */
    public Builder topology(BiFunction<TopologySettings, Topics, Topology> factory) {
      this.topologyFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Extra Kafka Streams settings, layered under {@link NavTopology#requiredStreamsConfig} (which
     * always wins) and over replay's own application id, bootstrap servers and state directory.
     */
    public Builder streamsOverrides(Map<String, Object> overrides) {
      this.streamsOverrides = Objects.requireNonNull(overrides, "overrides");
      return this;
    }

    /** Bad rows listed on the diagnostics writer before only counting the rest. */
    public Builder maxListedBadRows(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxListedBadRows must be >= 0, was " + max);
      }
      this.maxListedBadRows = max;
      return this;
    }

    /**
     * Drivers to spread the replay over, each on a thread of its own (default 1: one driver on the
     * calling thread). The outputs are the same byte for byte; see {@link ShardedReplay}.
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, was " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Inputs go through a {@link DirectPipe} that commits every {@code records} records processed
     * (default {@link DirectPipe#COMMIT_EVERY}), or through the driver's own {@code pipeInput}
     * when 0. The outputs are the same, which tests check.
     */
    Builder pipeCommitEvery(int records) {
      if (records < 0) {
        throw new IllegalArgumentException("pipeCommitEvery must be >= 0, was " + records);
      }
      this.pipeCommitEvery = records;
      return this;
    }

    public ReplayDriver build() {
      return new ReplayDriver(this);
    }
  }
}
