package io.navstream.topology;

import io.navstream.avro.CorporateAction;
import io.navstream.avro.FlowResult;
import io.navstream.avro.FundState;
import io.navstream.avro.NavCandle;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.TokenPrice;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundRegistration;
import io.navstream.avro.internal.RecentRebalances;
import io.navstream.avro.internal.UnderlyingMark;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds navstream's topology. Pure: settings and topics in, {@link Topology} out; no I/O, no
 * clock. The same topology runs live ({@code run}) and over files ({@code replay}).
 *
 * <pre>
 * fund-definitions ─► fund-definition-router ─┬─► dead-letter      (all three share store fund-registry)
 * fund-commands ────► fund-command-router ────┤
 * fund-flows ───────► fund-flow-router ───────┤─► flow-results (unknown fund)
 *                                              └─► merge ─► fund-definitions-by-underlying (repartition)
 * prices ──────────┐                                                              │
 * funding-rates ───┼─► merge ─► fund-book-processor (stores fund-books, underlying-marks, flow-results) ◄┘
 *                  │        ├─► nav-updates ─► nav-candle-builder (store nav-candles) ─► nav-candles
 *                  │        ├─► rebalance-instructions ─► recent-rebalances-recorder (store recent-rebalances)
 *                  │        ├─► flow-results, corporate-actions
 *                  │        ├─► fund-state   └─► dead-letter
 * token-prices ─► premium/discount against nav-updates (see premiumDiscount) ─► premium-discount
 * </pre>
 *
 * Every processor, store and internal topic is named; {@code NavTopologyDescriptionTest} pins the
 * description, because a rename silently abandons state.
 */
public final class NavTopology {
  /**
   * How far back, beyond the grace period, the NAV history answers "the NAV at time t": a token
   * price older than the newest NAV of its partition by more than this finds none. A token price
   * is released only once a later one on its partition is past the grace period, so this must
   * cover the gap between a fund's token prices, not only the grace: an hour covers any token that
   * trades at least hourly, at the cost of an hour of NAV updates per fund on disk.
   */
  static final Duration NAV_HISTORY_RETENTION = Duration.ofHours(1);

  private NavTopology() {}

  public static Topology build(TopologySettings settings, Topics topics) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    Serializer<SpecificRecord> deadLetterValues = topics.avro().anyValueSerializer();

    builder.addStateStore(store(settings, StoreNames.FUND_REGISTRY, topics.avro().forValues(FundRegistration.class)));
    builder.addStateStore(store(settings, StoreNames.FUND_BOOKS, topics.avro().forValues(FundState.class)));
    builder.addStateStore(store(settings, StoreNames.UNDERLYING_MARKS, topics.avro().forValues(UnderlyingMark.class)));
    builder.addStateStore(store(settings, StoreNames.RECENT_REBALANCES, topics.avro().forValues(RecentRebalances.class)));
    if (settings.candles()) {
      builder.addStateStore(candleStore(settings, topics.avro().forValues(NavCandle.class)));
    }
    builder.addStateStore(store(settings, StoreNames.FLOW_RESULTS, topics.avro().forValues(FlowResult.class)));

    // Inputs keyed by fundId (definitions, operator commands) are re-keyed to the fund's
    // underlying through the fund-registry store, and share one repartition topic.
    KStream<String, FundControl> definitionControls = routed(builder
        .stream(topics.fundDefinitions().name(),
            Consumed.with(keys, topics.fundDefinitions().valueSerde()).withName("fund-definitions-source"))
        .process(() -> new FundDefinitionRouter(topics.names().fundDefinitions()),
            Named.as("fund-definition-router"), StoreNames.FUND_REGISTRY),
        "fund-definition", topics, deadLetterValues);
    KStream<String, FundControl> commandControls = routed(builder
        .stream(topics.fundCommands().name(), Consumed.with(keys, topics.fundCommands().valueSerde())
            .withTimestampExtractor(new EventTimeExtractor()).withName("fund-commands-source"))
        .process(() -> new FundCommandRouter(topics.names().fundCommands()),
            Named.as("fund-command-router"), StoreNames.FUND_REGISTRY),
        "fund-command", topics, deadLetterValues);
    // Fund flows: a flow for a fund never defined has no underlying and is answered at once.
    Map<String, KStream<String, RouterOutput>> flows = builder
        .stream(topics.fundFlows().name(), Consumed.with(keys, topics.fundFlows().valueSerde())
            .withTimestampExtractor(new EventTimeExtractor()).withName("fund-flows-source"))
        .process(() -> new FundFlowRouter(topics.names().fundFlows()), Named.as("fund-flow-router"),
            StoreNames.FUND_REGISTRY)
        .split(Named.as("fund-flow-router-"))
        .branch((k, v) -> v instanceof RouterOutput.Answered, Branched.as("answered"))
        .defaultBranch(Branched.as("controls"));
    flows.get("fund-flow-router-answered")
        .mapValues(v -> ((RouterOutput.Answered) v).result(), Named.as("fund-flow-answer-value"))
        .to(topics.flowResults().name(), Produced.<String, FlowResult>as("fund-flow-answers-sink")
            .withKeySerde(keys).withValueSerde(topics.flowResults().valueSerde()));
    KStream<String, FundControl> flowControls =
        routed(flows.get("fund-flow-router-controls"), "fund-flow", topics, deadLetterValues);
    KStream<String, BookInput> controls = definitionControls
        .merge(commandControls, Named.as("merge-fund-commands"))
        .merge(flowControls, Named.as("merge-fund-flows"))
        .repartition(Repartitioned.<String, FundControl>as(StoreNames.DEFINITIONS_BY_UNDERLYING)
            .withKeySerde(keys)
            .withValueSerde(topics.avro().forValues(FundControl.class))
            .withNumberOfPartitions(settings.partitions()))
        .mapValues(BookInput.Control::new, Named.as("controls-as-book-input"));

    // Prices and funding are keyed by underlying already; their time is their eventTime.
    KStream<String, BookInput> prices = builder
        .stream(topics.prices().name(), Consumed.with(keys, topics.prices().valueSerde())
            .withTimestampExtractor(new EventTimeExtractor()).withName("prices-source"))
        .mapValues(BookInput.Price::new, Named.as("prices-as-book-input"));
    KStream<String, BookInput> funding = builder
        .stream(topics.fundingRates().name(), Consumed.with(keys, topics.fundingRates().valueSerde())
            .withTimestampExtractor(new EventTimeExtractor()).withName("funding-rates-source"))
        .mapValues(BookInput.Funding::new, Named.as("funding-rates-as-book-input"));

    Map<String, KStream<String, BookOutput>> outputs = prices
        .merge(funding, Named.as("merge-prices-and-funding"))
        .merge(controls, Named.as("merge-fund-controls"))
        .process(() -> new FundBookProcessor(topics.names()), Named.as("fund-book-processor"),
            StoreNames.FUND_BOOKS, StoreNames.UNDERLYING_MARKS, StoreNames.FLOW_RESULTS)
        .split(Named.as("fund-book-"))
        .branch((k, v) -> v instanceof BookOutput.Nav, Branched.as("nav"))
        .branch((k, v) -> v instanceof BookOutput.Instruction, Branched.as("instruction"))
        .branch((k, v) -> v instanceof BookOutput.State, Branched.as("state"))
        .branch((k, v) -> v instanceof BookOutput.FlowAnswer, Branched.as("flow-result"))
        .branch((k, v) -> v instanceof BookOutput.Action, Branched.as("corporate-action"))
        .defaultBranch(Branched.as("dead-letter"));

    KStream<String, NavUpdate> navUpdates = outputs.get("fund-book-nav")
        .mapValues(v -> ((BookOutput.Nav) v).update(), Named.as("nav-update-value"));
    navUpdates.to(topics.navUpdates().name(), Produced.<String, NavUpdate>as("nav-updates-sink")
        .withKeySerde(keys).withValueSerde(topics.navUpdates().valueSerde()));
    if (settings.candles()) {
      navUpdates
          .process(NavCandleBuilder::new, Named.as("nav-candle-builder"), StoreNames.NAV_CANDLES)
          .to(topics.navCandles().name(), Produced.<String, NavCandle>as("nav-candles-sink")
              .withKeySerde(keys).withValueSerde(topics.navCandles().valueSerde()));
    }

    KStream<String, RebalanceInstruction> instructions = outputs.get("fund-book-instruction")
        .mapValues(v -> ((BookOutput.Instruction) v).instruction(), Named.as("rebalance-instruction-value"));
    instructions.to(topics.rebalanceInstructions().name(),
        Produced.<String, RebalanceInstruction>as("rebalance-instructions-sink")
            .withKeySerde(keys).withValueSerde(topics.rebalanceInstructions().valueSerde()));
    instructions.process(RecentRebalancesRecorder::new, Named.as("recent-rebalances-recorder"),
        StoreNames.RECENT_REBALANCES);
    outputs.get("fund-book-state")
        .mapValues(v -> ((BookOutput.State) v).state(), Named.as("fund-state-value"))
        .to(topics.fundState().name(), Produced.<String, FundState>as("fund-state-sink")
            .withKeySerde(keys).withValueSerde(topics.fundState().valueSerde()));
    toDeadLetters(outputs.get("fund-book-dead-letter")
            .mapValues(v -> (BookOutput.DeadLetter) v, Named.as("fund-book-dead-letter-cast")),
        "fund-book", topics, deadLetterValues);
    outputs.get("fund-book-flow-result")
        .mapValues(v -> ((BookOutput.FlowAnswer) v).result(), Named.as("flow-result-value"))
        .to(topics.flowResults().name(), Produced.<String, FlowResult>as("flow-results-sink")
            .withKeySerde(keys).withValueSerde(topics.flowResults().valueSerde()));
    outputs.get("fund-book-corporate-action")
        .mapValues(v -> ((BookOutput.Action) v).action(), Named.as("corporate-action-value"))
        .to(topics.corporateActions().name(), Produced.<String, CorporateAction>as("corporate-actions-sink")
            .withKeySerde(keys).withValueSerde(topics.corporateActions().valueSerde()));

    if (settings.premium()) {
      premiumDiscount(builder, settings, topics, deadLetterValues);
    }
    // nav-history is a table over nav-updates itself: let that topic be its changelog rather
    // than write every NAV update a second time (the only source table this optimisation touches).
    Properties optimisation = new Properties();
    optimisation.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
    return builder.build(optimisation);
  }

  /**
   * Token prices against the NAV in force at their own time. nav-updates is read back as a
   * versioned table; the join holds each token price for the grace period, in event time, so a
   * token price that arrives before the NAV of its time still joins that NAV. The fund's own alert
   * threshold comes from its definition in fund-state.
   *
   * <pre>
   * token-prices ─► token-price-check ─► join nav-history (versioned, grace) ─► join fund-alert-thresholds
   *                       └─► dead-letter                   ─► premium-calculator ─┬─► premium-discount (+ store latest-premiums)
   *                                                                                └─► dead-letter (NO_NAV)
   * </pre>
   */
  private static void premiumDiscount(StreamsBuilder builder, TopologySettings settings, Topics topics,
      Serializer<SpecificRecord> deadLetterValues) {
    Serde<String> keys = Serdes.String();
    Duration grace = settings.premiumGrace();
    // The history keeps each NAV update as the topic's bytes: read back, it is neither decoded nor
    // re-encoded (its table source also reads the latest version before each put), and only the
    // rare NAV a token price joins is decoded, in the premium calculator. The store's bytes are the
    // ones the NavUpdate serde would write, and the topic, its changelog, restores them as they are.
    // Its timestamps are the records': navstream stamps every NAV update with its eventTime.
    Materialized<String, byte[], KeyValueStore<Bytes, byte[]>> history =
        Materialized.<String, byte[]>as(Stores.persistentVersionedKeyValueStore(
                StoreNames.NAV_HISTORY, NAV_HISTORY_RETENTION.plus(grace)))
            .withKeySerde(keys).withValueSerde(Serdes.ByteArray());
    KTable<String, byte[]> navHistory = builder.table(topics.navUpdates().name(),
        Consumed.with(keys, Serdes.ByteArray()).withTimestampExtractor(new EventTimeExtractor())
            .withName("nav-history"),
        logging(settings, history));
    Materialized<String, String, KeyValueStore<Bytes, byte[]>> thresholdStore =
        Materialized.<String, String>as(kvSupplier(settings, StoreNames.FUND_ALERT_THRESHOLDS))
            .withKeySerde(keys).withValueSerde(Serdes.String());
    KTable<String, String> thresholds = builder
        .stream(topics.fundState().name(), Consumed.with(keys, topics.fundState().valueSerde())
            .withName("fund-state-thresholds-source"))
        .mapValues(NavTopology::alertThreshold, Named.as("fund-alert-threshold-value"))
        .toTable(Named.as("fund-alert-thresholds-table"), logging(settings, thresholdStore));

    Map<String, KStream<String, PremiumOutput>> checked = builder
        .stream(topics.tokenPrices().name(), Consumed.with(keys, topics.tokenPrices().valueSerde())
            .withTimestampExtractor(new EventTimeExtractor()).withName("token-prices-source"))
        .processValues(() -> new PremiumProcessors.Check(topics.names().tokenPrices()), Named.as("token-price-check"))
        .split(Named.as("token-price-"))
        .branch((k, v) -> v instanceof PremiumOutput.Rejected, Branched.as("rejected"))
        .defaultBranch(Branched.as("valid"));
    toDeadLetters(checked.get("token-price-rejected")
            .mapValues(v -> ((PremiumOutput.Rejected) v).deadLetter(), Named.as("token-price-dead-letter")),
        "token-price", topics, deadLetterValues);
    Map<String, KStream<String, PremiumOutput>> premiums = checked.get("token-price-valid")
        .mapValues(v -> ((PremiumOutput.Valid) v).price(), Named.as("token-price-value"))
        .leftJoin(navHistory, (token, nav) -> (PremiumOutput) new PremiumOutput.Joined(token, nav, null),
            Joined.<String, TokenPrice, byte[]>as(StoreNames.TOKEN_PRICE_JOIN)
                .withKeySerde(keys).withValueSerde(topics.tokenPrices().valueSerde())
                .withOtherValueSerde(Serdes.ByteArray()).withGracePeriod(grace))
        .leftJoin(thresholds,
            (joined, threshold) -> (PremiumOutput) ((PremiumOutput.Joined) joined).withThreshold(
                threshold == null || threshold.isEmpty() ? null : new BigDecimal(threshold)),
            Joined.<String, PremiumOutput, String>as("token-price-threshold-join"))
        .processValues(() -> new PremiumProcessors.Calculate(topics.names().tokenPrices(),
                topics.navUpdates(), settings.premiumAlertThreshold()),
            Named.as("premium-calculator"))
        .split(Named.as("premium-"))
        .branch((k, v) -> v instanceof PremiumOutput.Rejected, Branched.as("rejected"))
        .defaultBranch(Branched.as("result"));
    toDeadLetters(premiums.get("premium-rejected")
            .mapValues(v -> ((PremiumOutput.Rejected) v).deadLetter(), Named.as("premium-dead-letter")),
        "premium", topics, deadLetterValues);
    KStream<String, PremiumDiscount> results = premiums.get("premium-result")
        .mapValues(v -> ((PremiumOutput.Result) v).premium(), Named.as("premium-discount-value"));
    results.to(topics.premiumDiscount().name(), Produced.<String, PremiumDiscount>as("premium-discount-sink")
        .withKeySerde(keys).withValueSerde(topics.premiumDiscount().valueSerde()));
    Materialized<String, PremiumDiscount, KeyValueStore<Bytes, byte[]>> latest =
        Materialized.<String, PremiumDiscount>as(kvSupplier(settings, StoreNames.LATEST_PREMIUMS))
            .withKeySerde(keys).withValueSerde(topics.premiumDiscount().valueSerde());
    results.toTable(Named.as("latest-premiums-table"), logging(settings, latest));
  }

  /** The fund's own premium alert threshold as text, "" for none (a null would delete the row). */
  private static String alertThreshold(FundState state) {
    BigDecimal t = state.getDefinition() == null ? null : state.getDefinition().getPremiumAlertThreshold();
    return t == null ? "" : t.toPlainString();
  }

  private static <V> Materialized<String, V, KeyValueStore<Bytes, byte[]>> logging(
      TopologySettings settings, Materialized<String, V, KeyValueStore<Bytes, byte[]>> m) {
    // A mutable map: the source-topic optimisation later clears it (withLoggingDisabled).
    return settings.changelogs() ? m.withLoggingEnabled(new HashMap<>()) : m.withLoggingDisabled();
  }

  private static KeyValueBytesStoreSupplier kvSupplier(TopologySettings settings, String name) {
    return settings.storeKind() == TopologySettings.StoreKind.IN_MEMORY
        ? Stores.inMemoryKeyValueStore(name)
        : Stores.persistentKeyValueStore(name);
  }

  /**
   * Streams settings the topology relies on, whatever runs it ({@code run}, {@code replay}, tests):
   * explicit naming of internal resources and the dead-letter handlers. Callers layer these over
   * their own settings.
   */
  public static Map<String, Object> requiredStreamsConfig(TopicNames names) {
    return Map.of(
        StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true,
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, names.deadLetter(),
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class.getName(),
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class.getName(),
        // No global stores today; enabling it now keeps behaviour the same when Kafka 5 does.
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
  }

  /** A router's controls; its rejections go to the dead-letter topic, named after {@code prefix}. */
  private static KStream<String, FundControl> routed(KStream<String, RouterOutput> routerOutput,
      String prefix, Topics topics, Serializer<SpecificRecord> deadLetterValues) {
    Map<String, KStream<String, RouterOutput>> routed = routerOutput
        .split(Named.as(prefix + "-"))
        .branch((k, v) -> v instanceof RouterOutput.Rejected, Branched.as("rejected"))
        .defaultBranch(Branched.as("routed"));
    toDeadLetters(routed.get(prefix + "-rejected")
            .mapValues(v -> ((RouterOutput.Rejected) v).deadLetter(), Named.as(prefix + "-dead-letter")),
        prefix, topics, deadLetterValues);
    return routed.get(prefix + "-routed")
        .mapValues(v -> ((RouterOutput.Routed) v).control(), Named.as(prefix + "-control"));
  }

  /** A rejected record keeps its own bytes: serialized with its source topic's subject. */
  private static void toDeadLetters(KStream<String, BookOutput.DeadLetter> rejected, String prefix,
      Topics topics, Serializer<SpecificRecord> values) {
    rejected
        .mapValues(d -> d.value() == null ? null : values.serialize(d.sourceTopic(), d.value()),
            Named.as(prefix + "-dead-letter-bytes"))
        .to(topics.deadLetter().name(), Produced.<String, byte[]>as(prefix + "-dead-letter-sink")
            .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
  }

  private static StoreBuilder<WindowStore<String, NavCandle>> candleStore(
      TopologySettings settings, Serde<NavCandle> values) {
    WindowBytesStoreSupplier supplier = settings.storeKind() == TopologySettings.StoreKind.IN_MEMORY
        ? Stores.inMemoryWindowStore(StoreNames.NAV_CANDLES, NavCandleBuilder.RETENTION, NavCandleBuilder.WINDOW, false)
        : Stores.persistentWindowStore(StoreNames.NAV_CANDLES, NavCandleBuilder.RETENTION, NavCandleBuilder.WINDOW, false);
    StoreBuilder<WindowStore<String, NavCandle>> builder =
        Stores.windowStoreBuilder(supplier, Serdes.String(), values);
    return withCachingAndLogging(builder, settings);
  }

  private static <V> StoreBuilder<KeyValueStore<String, V>> store(
      TopologySettings settings, String name, Serde<V> values) {
    KeyValueBytesStoreSupplier supplier = settings.storeKind() == TopologySettings.StoreKind.IN_MEMORY
        ? Stores.inMemoryKeyValueStore(name)
        : Stores.persistentKeyValueStore(name);
    return withCachingAndLogging(Stores.keyValueStoreBuilder(supplier, Serdes.String(), values), settings);
  }

  /**
   * A record cache saves RocksDB writes and changelog records; an in-memory store without a
   * changelog (replay) gets nothing from one but the cost of keeping it. None of these stores
   * forwards on flush, so the cache never changes an output.
   */
  private static <S extends StateStore> StoreBuilder<S> withCachingAndLogging(
      StoreBuilder<S> builder, TopologySettings settings) {
    if (settings.storeKind() == TopologySettings.StoreKind.PERSISTENT || settings.changelogs()) {
      builder.withCachingEnabled();
    }
    return settings.changelogs() ? builder.withLoggingEnabled(Map.of()) : builder.withLoggingDisabled();
  }
}
