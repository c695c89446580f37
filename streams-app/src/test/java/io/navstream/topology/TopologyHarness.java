package io.navstream.topology;

import io.navstream.avro.CorporateAction;
import io.navstream.avro.Direction;
import io.navstream.avro.FlowResult;
import io.navstream.avro.FlowType;
import io.navstream.avro.FundCommand;
import io.navstream.avro.FundCommandType;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundFlow;
import io.navstream.avro.FundState;
import io.navstream.avro.FundingRate;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.PriceTick;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.TokenPrice;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.InMemorySchemaRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The whole topology under TopologyTestDriver, with an in-memory registry and typed helpers. */
final class TopologyHarness implements AutoCloseable {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final Topics topics = new Topics(TopicNames.defaults(), new AvroSerdes(registry, true));
  final TopologyTestDriver driver;
  private final TestInputTopic<String, FundDefinition> definitions;
  private final TestInputTopic<String, PriceTick> prices;
  private final TestInputTopic<String, FundingRate> funding;
  private final TestInputTopic<String, byte[]> rawPrices;
  private final TestInputTopic<String, FundCommand> commands;
  final TestOutputTopic<String, NavUpdate> navUpdates;
  final TestOutputTopic<String, RebalanceInstruction> instructions;
  final TestOutputTopic<String, FundState> fundState;
  final TestOutputTopic<String, byte[]> deadLetters;
  final TestOutputTopic<String, io.navstream.avro.NavCandle> navCandles;
  private final TestInputTopic<String, FundFlow> flows;
  private final TestInputTopic<String, TokenPrice> tokenPrices;
  final TestOutputTopic<String, FlowResult> flowResults;
  final TestOutputTopic<String, CorporateAction> corporateActions;
  final TestOutputTopic<String, PremiumDiscount> premiums;

  TopologyHarness(Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "navstream-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(NavTopology.requiredStreamsConfig(topics.names()));
    driver = new TopologyTestDriver(NavTopology.build(TopologySettings.live(1), topics), props, T0);
    flows = driver.createInputTopic(topics.fundFlows().name(), new StringSerializer(),
        topics.fundFlows().valueSerde().serializer());
    tokenPrices = driver.createInputTopic(topics.tokenPrices().name(), new StringSerializer(),
        topics.tokenPrices().valueSerde().serializer());
    flowResults = driver.createOutputTopic(topics.flowResults().name(), new StringDeserializer(),
        topics.flowResults().valueSerde().deserializer());
    corporateActions = driver.createOutputTopic(topics.corporateActions().name(), new StringDeserializer(),
        topics.corporateActions().valueSerde().deserializer());
    premiums = driver.createOutputTopic(topics.premiumDiscount().name(), new StringDeserializer(),
        topics.premiumDiscount().valueSerde().deserializer());
    StringSerializer keys = new StringSerializer();
    definitions = driver.createInputTopic(topics.fundDefinitions().name(), keys,
        topics.fundDefinitions().valueSerde().serializer());
    prices = driver.createInputTopic(topics.prices().name(), keys, topics.prices().valueSerde().serializer());
    funding = driver.createInputTopic(topics.fundingRates().name(), keys,
        topics.fundingRates().valueSerde().serializer());
    rawPrices = driver.createInputTopic(topics.prices().name(), keys, new ByteArraySerializer());
    commands = driver.createInputTopic(topics.fundCommands().name(), keys,
        topics.fundCommands().valueSerde().serializer());
    StringDeserializer keyReader = new StringDeserializer();
    navUpdates = driver.createOutputTopic(topics.navUpdates().name(), keyReader,
        topics.navUpdates().valueSerde().deserializer());
    instructions = driver.createOutputTopic(topics.rebalanceInstructions().name(), keyReader,
        topics.rebalanceInstructions().valueSerde().deserializer());
    fundState = driver.createOutputTopic(topics.fundState().name(), keyReader,
        topics.fundState().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic(topics.deadLetter().name(), keyReader, new ByteArrayDeserializer());
    navCandles = driver.createOutputTopic(topics.navCandles().name(), keyReader,
        topics.navCandles().valueSerde().deserializer());
  }

  static BigDecimal dec(String value) {
    return value == null ? null : new BigDecimal(value).setScale(18);
  }

  static FundDefinition.Builder fund(String fundId, String underlying, Direction direction, String leverage) {
    return FundDefinition.newBuilder()
        .setFundId(fundId)
        .setUnderlying(underlying)
        .setDirection(direction)
        .setTargetLeverage(dec(leverage))
        .setInitialNav(dec("1"))
        .setInitialShares(dec("1"));
  }

  void define(FundDefinition.Builder definition, Instant at) {
    FundDefinition d = definition.build();
    definitions.pipeInput(d.getFundId(), d, at);
  }

  void retire(String fundId, Instant at) {
    definitions.pipeInput(fundId, null, at);
  }

  void price(String symbol, String price, Instant at) {
    prices.pipeInput(symbol, new PriceTick(symbol, dec(price), at), at);
  }

  void rawPrice(String symbol, byte[] bytes, Instant at) {
    rawPrices.pipeInput(symbol, bytes, at);
  }

  void funding(String symbol, String rate, Instant at) {
    funding.pipeInput(symbol, new FundingRate(symbol, dec(rate), at), at);
  }

  void flow(String requestId, String fundId, FlowType type, String amount, Instant at) {
    flows.pipeInput(fundId, new FundFlow(requestId, fundId, type, dec(amount), at), at);
  }

  void tokenPrice(String fundId, String price, Instant at) {
    tokenPrices.pipeInput(fundId, new TokenPrice(fundId, dec(price), at), at);
  }

  /** An operator command; its record timestamp is its eventTime, as the API writes it. */
  void command(String fundId, String commandId, FundCommandType type, Instant at) {
    commands.pipeInput(fundId, new FundCommand(commandId, fundId, type, "test", at), at);
  }

  List<NavUpdate> navs() {
    return navUpdates.readValuesToList();
  }

  List<RebalanceInstruction> rebalances() {
    return instructions.readValuesToList();
  }

  List<FundState> states() {
    return fundState.readValuesToList();
  }

  /** Dead-letter records as "REASON: message". */
  List<String> deadLetterReasons() {
    return deadLetters.readRecordsToList().stream()
        .map(r -> header(r, DeadLetters.REASON) + ": " + header(r, DeadLetters.MESSAGE))
        .collect(Collectors.toList());
  }

  static String header(TestRecord<String, byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    driver.close();
    registry.close();
  }
}
