package io.navstream.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundState;
import io.navstream.avro.FundStatus;
import io.navstream.avro.NavCandle;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.connect.Scenario.Tick;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * navstream's outputs into PostgreSQL through the connectors in connectors/config, end to end and
 * for real: navstream itself ({@code navstream.jar run}) on an embedded Kafka, a real Apicurio
 * Registry, an embedded Kafka Connect worker with Debezium's JDBC sink and Apicurio's converter
 * loaded from plugin.path, the connector files as shipped (registered by the shipped script, their
 * {@code ${env:...}} placeholders resolved by Kafka's EnvVarConfigProvider), and a real PostgreSQL
 * with the shipped table definitions. The rows are compared with {@code navstream.jar replay} over
 * the same inputs and with the Avro records navstream wrote.
 *
 * <p>It also runs every SQL query of the Grafana dashboard against the tables it filled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NavstreamToPostgresTest {
  /**
   * Where {@code nav-candles} comes from. false: navstream's topology does not emit candles yet, so
   * the test derives them from navstream's own nav-updates ({@link Candles}, the contract's
   * definition) and produces them. Set to true once navstream emits them: the test then only reads
   * navstream's candles and checks them against the same expectation.
   */
  static final boolean NAVSTREAM_EMITS_CANDLES = true;

  static final String SCHEMA = "navstream_connect_test";
  static final int PARTITIONS = 3;
  static final Set<String> CONNECTORS = Set.of("nav-latest", "nav-history", "rebalances", "funds");

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration FLOW_TIMEOUT = Duration.ofMinutes(2);

  private Path work;
  private Postgres pg;
  private ApicurioRegistry registry;
  private EmbeddedConnectCluster connect;
  private ChildProcess navstream;
  private ConfluentWire wire;
  private KafkaTopics topics;
  private Scenario scenario;
  private Replay replay;
  private List<NavUpdate> navUpdates;
  private List<RebalanceInstruction> instructions;
  private List<ConsumerRecord<byte[], byte[]>> instructionRecords;
  private List<NavCandle> candles;

  @BeforeAll
  void runThePipeline() throws Exception {
    Path jar = Path.of(System.getProperty("navstream.jar", "../streams-app/target/navstream.jar"));
    assertThat(jar)
        .as("navstream.jar: streams-app's package builds it before this module's tests run")
        .isRegularFile();
    work = Path.of(System.getProperty("navstream.test.work.dir", "target/test-work")).resolve(getClass().getSimpleName());
    deleteRecursively(work);
    Files.createDirectories(work.resolve("logs"));

    pg = Postgres.freshSchema(SCHEMA);
    assertThat(pg.runSqlFiles(ConnectorFiles.sqlDir())).isNotEmpty();

    // The same inputs, as files for replay (running meanwhile) and as records for Kafka (below).
    scenario = Scenario.standard();
    Path fundsFile = work.resolve("funds.json");
    Path pricesFile = work.resolve("prices.csv");
    scenario.writeReplayInputs(fundsFile, pricesFile);
    Path replayOut = work.resolve("replay");
    ChildProcess replayRun =
        ChildProcess.java(
            "navstream replay",
            List.of("-Xmx512m", "-XX:+UseSerialGC"),
            jar,
            List.of("replay", "--funds", fundsFile.toString(), "--prices", pricesFile.toString(),
                "--out", replayOut.toString(), "--no-progress"),
            Map.of(),
            work.resolve("logs/replay.log"));

    registry =
        ApicurioRegistry.start(
            Path.of(System.getProperty("navstream.apicurio.dir", "target/apicurio")),
            work.resolve("logs/apicurio.log"));
    wire = new ConfluentWire(registry.ccompatUrl());

    startConnect();
    topics = new KafkaTopics(connect.kafka().bootstrapServers());

    navstream =
        ChildProcess.java(
            "navstream run",
            List.of("-Xmx512m", "-XX:+UseSerialGC"),
            jar,
            List.of("run"),
            Map.of(
                "NAVSTREAM_BOOTSTRAP_SERVERS", connect.kafka().bootstrapServers(),
                "NAVSTREAM_SCHEMA_REGISTRY_URL", registry.ccompatUrl(),
                "NAVSTREAM_APPLICATION_ID", "navstream-connect-test",
                "NAVSTREAM_STATE_DIR", work.resolve("navstream-state").toString(),
                "NAVSTREAM_TOPICS_PARTITIONS", String.valueOf(PARTITIONS),
                "NAVSTREAM_TOPICS_REPLICATION_FACTOR", "1"),
            work.resolve("logs/navstream.log"));

    try (Admin admin = connect.kafka().createAdminClient()) {
      Await.until(
          "navstream to create its topics",
          START_TIMEOUT,
          () -> {
            assertThat(navstream.isAlive()).as("navstream is running").isTrue();
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
          },
          names -> names.containsAll(List.of("prices", "fund-definitions", "nav-updates", "rebalance-instructions", "fund-state")),
          navstream::logTail);
      if (!NAVSTREAM_EMITS_CANDLES) {
        admin.createTopics(List.of(new NewTopic("nav-candles", PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
    }

    registerConnectors();

    assertThat(replayRun.waitFor(START_TIMEOUT)).as("replay's exit code\n" + replayRun.logTail()).isZero();
    replay = Replay.read(replayOut);
    assertThat(replay.deadLetters()).as("replay rejected nothing").isEmpty();

    produceInputs();

    navUpdates =
        decode(topics.readUntil("nav-updates", FLOW_TIMEOUT,
                r -> r.size() >= replay.navUpdates().size(), navstream::logTail), NavUpdate.class);
    instructionRecords =
        topics.readUntil("rebalance-instructions", FLOW_TIMEOUT,
            r -> r.size() >= replay.rebalanceInstructions().size(), navstream::logTail);
    instructions = decode(instructionRecords, RebalanceInstruction.class);

    candles = Candles.closed(navUpdates);
    if (!NAVSTREAM_EMITS_CANDLES) {
      produce("nav-candles", candles, NavCandle::getFundId, c -> c.getWindowEnd().toEpochMilli());
    }

    awaitRows();
  }

  @AfterAll
  void stopEverything() throws Exception {
    try {
      if (navstream != null) {
        navstream.close();
      }
    } finally {
      try {
        if (connect != null) {
          connect.stop();
        }
      } finally {
        if (registry != null) {
          registry.close();
        }
        TestEnvironmentConfigProvider.clear();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void navstreamRunAndReplayProduceTheSameRecords() {
    // What makes "the rows match replay" mean "the rows match navstream".
    assertThat(navUpdates.stream().map(Values::of).toList())
        .containsExactlyInAnyOrderElementsOf(replay.navUpdates());
    assertThat(byFund(navUpdates.stream().map(Values::of).toList()))
        .as("per fund, in the same order")
        .isEqualTo(byFund(replay.navUpdates()));
    assertThat(instructions.stream().map(Values::of).toList())
        .containsExactlyInAnyOrderElementsOf(replay.rebalanceInstructions());
    assertThat(instructions.stream().map(i -> i.getReason().name()).collect(Collectors.toSet()))
        .as("the scenario exercises more than inception and the daily rebalance")
        .contains("INCEPTION", "DAILY")
        .hasSizeGreaterThan(2);
  }

  @Test
  void navLatestHoldsExactlyOneRowPerFundWithItsNewestNav() throws Exception {
    Map<String, Map<String, String>> expected = Replay.lastPerFund(replay.navUpdates());
    List<Map<String, String>> rows = query("SELECT * FROM nav_latest ORDER BY fund_id");

    assertThat(rows).extracting(r -> r.get("fundId")).containsExactlyElementsOf(new TreeMap<>(expected).keySet());
    for (Map<String, String> row : rows) {
      assertThat(row).as("nav_latest row of " + row.get("fundId")).isEqualTo(expected.get(row.get("fundId")));
    }
    // The newest NAV is the one at the fund's last tick, not merely the last one written.
    Map<String, Instant> lastTick = new HashMap<>();
    navUpdates.forEach(u -> lastTick.merge(u.getFundId(), u.getEventTime(), (a, b) -> a.isAfter(b) ? a : b));
    for (Map<String, String> row : rows) {
      assertThat(Instant.parse(row.get("eventTime"))).isEqualTo(lastTick.get(row.get("fundId")));
    }
  }

  @Test
  void decimalsLandAsNumeric38Scale18DigitForDigit() throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT table_name, column_name, numeric_precision, numeric_scale FROM information_schema.columns"
                  + " WHERE table_schema = current_schema() AND data_type = 'numeric'")) {
        int columns = 0;
        while (rs.next()) {
          columns++;
          assertThat(rs.getInt("numeric_precision") + "," + rs.getInt("numeric_scale"))
              .as(rs.getString("table_name") + "." + rs.getString("column_name"))
              .isEqualTo("38,18");
        }
        assertThat(columns).as("numeric columns").isGreaterThan(30);
      }
      // BigDecimal from JDBC against BigDecimal from navstream's Avro: equals() compares the scale too.
      Map<String, NavUpdate> newest = new HashMap<>();
      navUpdates.forEach(u -> newest.put(u.getFundId(), u));
      try (ResultSet rs = s.executeQuery("SELECT fund_id, nav, price, leverage, equity, shares, position_quantity, cash FROM nav_latest")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
          NavUpdate u = newest.get(rs.getString("fund_id"));
          assertThat(rs.getBigDecimal("nav")).isEqualTo(u.getNav()).extracting(BigDecimal::scale).isEqualTo(18);
          assertThat(rs.getBigDecimal("price")).isEqualTo(u.getPrice());
          assertThat(rs.getBigDecimal("leverage")).isEqualTo(u.getLeverage());
          assertThat(rs.getBigDecimal("equity")).isEqualTo(u.getEquity());
          assertThat(rs.getBigDecimal("shares")).isEqualTo(u.getShares());
          assertThat(rs.getBigDecimal("position_quantity")).isEqualTo(u.getPositionQuantity());
          assertThat(rs.getBigDecimal("cash")).isEqualTo(u.getCash());
        }
        assertThat(rows).isEqualTo(newest.size());
      }
    }
    // Every digit is used somewhere: a column rounded to fewer places would have been caught above.
    assertThat(navUpdates).anyMatch(u -> u.getNav().stripTrailingZeros().scale() == 18);
  }

  @Test
  void timesLandAsTimestamptzAtTheirInstant() throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT table_name, column_name, data_type FROM information_schema.columns"
                  + " WHERE table_schema = current_schema()"
                  + " AND (data_type LIKE 'timestamp%' OR column_name LIKE '%time' OR column_name IN ('minute', 'window_end', 'next_scheduled_rebalance'))"
                  + " AND column_name NOT IN ('daily_rebalance_time')")) {
        int columns = 0;
        while (rs.next()) {
          columns++;
          assertThat(rs.getString("data_type"))
              .as(rs.getString("table_name") + "." + rs.getString("column_name"))
              .isEqualTo("timestamp with time zone");
        }
        assertThat(columns).isEqualTo(7);
      }
      // The session's time zone is Asia/Kolkata (see Postgres): a wall-clock reading would be 5:30
      // off; an instant read as an instant matches navstream's eventTime.
      Map<String, Instant> expected = new HashMap<>();
      instructions.forEach(i -> expected.put(i.getInstructionId(), i.getEventTime()));
      try (ResultSet rs = s.executeQuery("SELECT instruction_id, event_time FROM rebalances")) {
        while (rs.next()) {
          Instant actual = rs.getObject("event_time", OffsetDateTime.class).toInstant();
          assertThat(actual).as(rs.getString("instruction_id")).isEqualTo(expected.get(rs.getString("instruction_id")));
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT to_char(event_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM rebalances WHERE reason = 'DAILY' LIMIT 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).as("the daily rebalance, at midnight UTC").isEqualTo("2025-03-04 00:00:00");
      }
    }
  }

  @Test
  void rebalancesHoldOneRowPerInstructionAsReplayGivesThem() throws Exception {
    List<Map<String, String>> rows = query("SELECT * FROM rebalances ORDER BY fund_id, sequence");
    assertThat(rows).hasSize(replay.rebalanceInstructions().size());
    assertThat(rows).containsExactlyInAnyOrderElementsOf(replay.rebalanceInstructions());
  }

  @Test
  void aRedeliveredBatchOfInstructionsDoesNotDuplicateRebalances() throws Exception {
    List<Map<String, String>> before = query("SELECT * FROM rebalances ORDER BY instruction_id");
    assertThat(before).hasSize(instructionRecords.size());

    // The whole batch again, byte for byte, as a producer retry or a replayed topic would deliver it.
    try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of(ProducerConfig.ACKS_CONFIG, "all"))) {
      for (ConsumerRecord<byte[], byte[]> r : instructionRecords) {
        producer.send(new ProducerRecord<>(r.topic(), null, r.timestamp(), r.key(), r.value(), new RecordHeaders(r.headers().toArray())));
      }
      producer.flush();
    }
    try (Admin admin = connect.kafka().createAdminClient()) {
      Await.until(
          "the rebalances sink to consume the redelivered batch",
          FLOW_TIMEOUT,
          () -> KafkaTopics.caughtUp(admin, "connect-rebalances", "rebalance-instructions"),
          done -> done,
          this::connectorStates);
    }
    List<Map<String, String>> after = query("SELECT * FROM rebalances ORDER BY instruction_id");
    assertThat(after).isEqualTo(before);
    assertThat(queryLong("SELECT count(DISTINCT instruction_id) FROM rebalances")).isEqualTo(instructionRecords.size());
  }

  @Test
  void navHistoryHoldsOneRowPerFundPerClosedMinute() throws Exception {
    Map<String, Map<String, String>> expected = new LinkedHashMap<>();
    candles.forEach(c -> expected.put(c.getFundId() + "@" + c.getWindowStart(), Values.of(c)));
    List<Map<String, String>> rows =
        query("SELECT * FROM nav_history ORDER BY fund_id, minute", Map.of("minute", "windowStart"));

    assertThat(rows).isNotEmpty();
    for (Map<String, String> row : rows) {
      assertThat(row).isEqualTo(expected.get(row.get("fundId") + "@" + row.get("windowStart")));
    }
    // Every window that has closed (allowing navstream a grace minute) has its row.
    Instant closedBy = scenario.lastTick().minus(Candles.WINDOW);
    Set<String> keys = rows.stream().map(r -> r.get("fundId") + "@" + r.get("windowStart")).collect(Collectors.toSet());
    candles.stream()
        .filter(c -> !c.getWindowEnd().isAfter(closedBy))
        .forEach(c -> assertThat(keys).contains(c.getFundId() + "@" + c.getWindowStart()));
    assertThat(rows.stream().map(r -> r.get("fundId")).distinct().count()).isEqualTo(scenario.definitions().size());
  }

  @Test
  void fundsHoldTheDefinitionInForceAndTheBook() throws Exception {
    Map<String, Map<String, String>> states = Replay.lastPerFund(replay.fundStates());
    List<Map<String, String>> rows = query("SELECT * FROM funds ORDER BY fund_id");
    assertThat(rows).hasSize(scenario.definitions().size());
    Map<String, FundDefinition> definitions =
        scenario.definitions().stream().collect(Collectors.toMap(FundDefinition::getFundId, Function.identity()));
    for (Map<String, String> row : rows) {
      Map<String, String> state = states.get(row.get("fundId"));
      FundDefinition d = definitions.get(row.get("fundId"));
      assertThat(row.get("status")).isEqualTo(state.get("status")).isEqualTo(FundStatus.ACTIVE.name());
      assertThat(row.get("eventTime")).isEqualTo(state.get("eventTime"));
      for (String field : List.of("shares", "lastRebalancePrice", "lastRebalanceTime", "nextScheduledRebalance",
          "rebalanceSequence", "cumulativeManagementFees", "cumulativeTradingFees", "cumulativeFunding", "rebalancesPaused")) {
        assertThat(row.get(field)).as(row.get("fundId") + "." + field).isEqualTo(state.get(field));
      }
      assertThat(row.get("direction")).isEqualTo(d.getDirection().name());
      assertThat(row.get("targetLeverage")).isEqualTo(d.getTargetLeverage().toPlainString());
      assertThat(row.get("minLeverage")).isEqualTo(d.getMinLeverage().toPlainString());
      assertThat(row.get("maxLeverage")).isEqualTo(d.getMaxLeverage().toPlainString());
      assertThat(row.get("initialNav")).isEqualTo(d.getInitialNav().toPlainString());
      assertThat(row.get("thresholdMove")).isEqualTo(d.getThresholdMove().toPlainString());
      assertThat(row.get("dailyRebalanceTime")).isEqualTo("00:00:00");
    }
  }

  @Test
  void theRegistryAnswersTheConfluentApiWithContentIdsWhichTheConverterIsToldToUse() {
    // Apicurio's ccompat API hands out content ids, not global ids: the same schema under two
    // subjects gets one id, while each registration is a new global id. Hence use-id=contentId.
    int first = wire.register("id-check-one-value", NavCandle.getClassSchema());
    int second = wire.register("id-check-two-value", NavCandle.getClassSchema());
    assertThat(second).isEqualTo(first);
    var one = wire.getJson(registry.coreUrl() + "/groups/default/artifacts/id-check-one-value/meta");
    var two = wire.getJson(registry.coreUrl() + "/groups/default/artifacts/id-check-two-value/meta");
    assertThat(one.path("contentId").asInt()).isEqualTo(first);
    assertThat(two.path("contentId").asInt()).isEqualTo(first);
    assertThat(two.path("globalId").asLong()).isNotEqualTo(one.path("globalId").asLong());

    // And the ids navstream writes are those content ids.
    int navId = ConfluentWire.schemaId(instructionRecords.get(0).value());
    var meta = wire.getJson(registry.coreUrl() + "/groups/default/artifacts/rebalance-instructions-value/meta");
    assertThat(navId).isEqualTo(meta.path("contentId").asInt());
    for (String connector : CONNECTORS) {
      assertThat(ConnectorFiles.configs().get(connector))
          .containsEntry("value.converter.apicurio.registry.use-id", "contentId")
          .containsEntry("value.converter.apicurio.registry.as-confluent", "true");
    }
  }

  // ---------------------------------------------------------------------------------------------

  // The Grafana dashboard. Grafana cannot run here, so every SQL query of the dashboard runs against
  // the tables filled above, with Grafana's macros and variables expanded as Grafana would: it runs,
  // and returns the columns (names, types, order) its panel reads, and at least one row.

  private final GrafanaDashboard dashboard = GrafanaDashboard.load(ConnectorFiles.dashboard());

  /** What each panel (by title) and query variable must return, column by column. */
  private final Map<String, List<Column>> shapes =
      Map.of(
          "Current NAV",
          List.of(text("fund"), text("underlying"), number("nav"), number("underlying price"),
              number("effective leverage"), number("target leverage"), text("status"), time("as of")),
          "NAV per fund",
          List.of(time("time"), text("metric"), number("nav")),
          "Effective leverage against the band: $fund",
          List.of(time("time"), number("effective leverage"), number("target"), number("band min"), number("band max")),
          "Rebalances",
          List.of(time("time"), text("fund"), text("reason"), text("side"), number("price"), number("nav before"),
              number("leverage before"), number("leverage after"), number("quantity traded"), number("notional"),
              number("trading fee"), text("instruction")),
          "Decay versus the underlying: $fund",
          List.of(time("time"), number("fund return %"), number("L × underlying return %"), number("decay %")),
          "Decay since inception, now",
          List.of(text("fund"), number("fund return %"), number("L × underlying return %"), number("decay %")),
          "variable fund",
          List.of(text("fund_id")));

  Stream<GrafanaDashboard.Query> dashboardQueries() {
    return dashboard.queries().stream();
  }

  @Test
  void everyDashboardQueryHasAnExpectedShapeAndEveryShapeAQuery() {
    assertThat(dashboard.queries()).extracting(GrafanaDashboard.Query::source)
        .containsExactlyInAnyOrderElementsOf(shapes.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboardQueries")
  void everyDashboardQueryRunsAndReturnsWhatItsPanelReads(GrafanaDashboard.Query query) throws Exception {
    assertThat(query.sql()).as("rawSql").isNotBlank();
    List<Column> expected = shapes.get(query.source());
    assertThat(expected).as("the expected shape of " + query.source()).isNotNull();
    List<String> funds = scenario.definitions().stream().map(FundDefinition::getFundId).sorted().toList();
    // A repeated panel gets one value per panel; others get every value (the "All" default).
    List<List<String>> selections =
        "fund".equals(query.repeatVariable()) ? funds.stream().map(List::of).toList() : List.of(funds);
    for (List<String> selection : selections) {
      String sql = GrafanaDashboard.expand(query.sql(), Scenario.FIRST_TICK.minus(Duration.ofHours(1)),
          scenario.lastTick().plus(Duration.ofHours(1)), Map.of("fund", selection));
      try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        List<Column> actual = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          actual.add(new Column(md.getColumnLabel(i), Kind.of(md.getColumnTypeName(i))));
        }
        assertThat(actual).as(query.source() + " for " + selection).containsExactlyElementsOf(expected);
        int rows = 0;
        Instant previous = Instant.MIN;
        while (rs.next()) {
          rows++;
          if (query.format().equals("time_series")) {
            Instant t = rs.getObject(1, OffsetDateTime.class).toInstant();
            assertThat(t).as("Grafana wants time series in time order").isAfterOrEqualTo(previous);
            previous = t;
          }
        }
        assertThat(rows).as(query.source() + " for " + selection + " returns rows").isPositive();
      }
    }
    if (query.format().equals("time_series")) {
      assertThat(expected.get(0)).isEqualTo(time("time"));
    }
  }

  @Test
  void theDashboardsDecayQueriesReadTheDirectionOfTheFund() throws Exception {
    // BTC rallied: L × its return is positive for the 3x long and negative for the 3x short.
    String sql = GrafanaDashboard.expand(
        dashboard.queries().stream().filter(q -> q.source().equals("Decay since inception, now")).findFirst().orElseThrow().sql(),
        Instant.EPOCH, Instant.EPOCH, Map.of("fund", List.of("BTC3L", "BTC3S")));
    Map<String, BigDecimal> levered = new HashMap<>();
    Map<String, BigDecimal> fund = new HashMap<>();
    Map<String, BigDecimal> decay = new HashMap<>();
    try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        fund.put(rs.getString(1), rs.getBigDecimal(2));
        levered.put(rs.getString(1), rs.getBigDecimal(3));
        decay.put(rs.getString(1), rs.getBigDecimal(4));
      }
    }
    assertThat(levered.get("BTC3L")).isPositive();
    assertThat(levered.get("BTC3S")).isNegative();
    assertThat(levered.get("BTC3S")).isEqualByComparingTo(levered.get("BTC3L").negate());
    // The fund's own return, from navstream's numbers: (newest NAV / initial NAV − 1) × 100.
    Map<String, Map<String, String>> latest = Replay.lastPerFund(replay.navUpdates());
    for (FundDefinition d : scenario.definitions()) {
      if (!fund.containsKey(d.getFundId())) {
        continue;
      }
      BigDecimal expected = new BigDecimal(latest.get(d.getFundId()).get("nav"))
          .divide(d.getInitialNav(), java.math.MathContext.DECIMAL128).subtract(BigDecimal.ONE).movePointRight(2);
      assertThat(fund.get(d.getFundId())).isCloseTo(expected, org.assertj.core.data.Offset.offset(new BigDecimal("1e-12")));
      assertThat(decay.get(d.getFundId())).isEqualByComparingTo(fund.get(d.getFundId()).subtract(levered.get(d.getFundId())));
    }
  }

  @Test
  void theDashboardsLeveragePanelShowsTheBandOfTheDefinitionInForce() throws Exception {
    GrafanaDashboard.Query q = dashboard.queries().stream()
        .filter(x -> x.source().startsWith("Effective leverage")).findFirst().orElseThrow();
    for (FundDefinition d : scenario.definitions()) {
      String sql = GrafanaDashboard.expand(q.sql(), Scenario.FIRST_TICK, scenario.lastTick(), Map.of("fund", List.of(d.getFundId())));
      try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBigDecimal("band min")).isEqualTo(d.getMinLeverage());
        assertThat(rs.getBigDecimal("band max")).isEqualTo(d.getMaxLeverage());
        assertThat(rs.getBigDecimal("target")).isEqualTo(d.getTargetLeverage());
      }
    }
  }

  enum Kind {
    TIME, NUMBER, TEXT, OTHER;

    static Kind of(String postgresType) {
      return switch (postgresType) {
        case "timestamptz" -> TIME;
        case "numeric", "int2", "int4", "int8", "float4", "float8" -> NUMBER;
        case "text", "varchar" -> TEXT;
        default -> OTHER;
      };
    }
  }

  record Column(String label, Kind kind) {}

  static Column time(String label) {
    return new Column(label, Kind.TIME);
  }

  static Column number(String label) {
    return new Column(label, Kind.NUMBER);
  }

  static Column text(String label) {
    return new Column(label, Kind.TEXT);
  }

  // ---------------------------------------------------------------------------------------------

  private void startConnect() {
    TestEnvironmentConfigProvider.clear();
    TestEnvironmentConfigProvider.set("SINK_DB_URL", pg.sinkUrl());
    TestEnvironmentConfigProvider.set("SINK_DB_USER", pg.user());
    TestEnvironmentConfigProvider.set("SINK_DB_PASSWORD", pg.password());
    TestEnvironmentConfigProvider.set("SINK_REGISTRY_URL", registry.coreUrl());

    Map<String, String> worker = new HashMap<>();
    worker.put("plugin.path", System.getProperty("navstream.connect.plugin.path", "target/connect-plugins"));
    worker.put("plugin.discovery", "service_load");
    worker.put("config.providers", "env");
    worker.put("config.providers.env.class", TestEnvironmentConfigProvider.class.getName());
    worker.put("config.providers.env.param.allowlist.pattern", "^SINK_.*");
    worker.put("offset.flush.interval.ms", "500");

    java.util.Properties broker = new java.util.Properties();
    broker.put("auto.create.topics.enable", "false");
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    broker.put("offsets.topic.replication.factor", "1");
    broker.put("group.initial.rebalance.delay.ms", "0");

    connect =
        new EmbeddedConnectCluster.Builder()
            .name("navstream-connect")
            .numWorkers(1)
            .numBrokers(1)
            .brokerProps(broker)
            .workerProps(worker)
            .build();
    connect.start();
  }

  /** Registers the connector files with the shipped script, as docker-compose's step does. */
  private void registerConnectors() throws Exception {
    String restUrl = connect.endpointForResource("connectors").replaceFirst("/connectors/?$", "");
    ProcessBuilder pb =
        new ProcessBuilder("sh", ConnectorFiles.registerScript().toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("logs/register-connectors.log").toFile());
    pb.environment().put("CONNECT_URL", restUrl);
    pb.environment().put("CONNECTORS_DIR", ConnectorFiles.configDir().toString());
    pb.environment().put("REGISTER_TIMEOUT_SECONDS", "60");
    Process p = pb.start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("register-connectors.sh finished").isTrue();
    assertThat(p.exitValue())
        .as("register-connectors.sh\n" + Files.readString(work.resolve("logs/register-connectors.log")))
        .isZero();
    assertThat(connect.connectors()).containsExactlyInAnyOrderElementsOf(CONNECTORS);
    for (String name : CONNECTORS) {
      Await.until(
          "connector " + name + " and its task to run",
          START_TIMEOUT,
          () -> {
            ConnectorStateInfo info = connect.connectorStatus(name);
            info.tasks().forEach(t -> {
              if ("FAILED".equals(t.state())) {
                throw new AssertionError("task of " + name + " failed: " + t.trace());
              }
            });
            return info;
          },
          info -> "RUNNING".equals(info.connector().state())
              && !info.tasks().isEmpty()
              && info.tasks().stream().allMatch(t -> "RUNNING".equals(t.state())),
          this::connectorStates);
    }
  }

  /** Definitions first, and prices once navstream has taken them in (its fund-state says PENDING). */
  private void produceInputs() {
    List<FundDefinition> definitions = scenario.definitions();
    produce("fund-definitions", definitions, FundDefinition::getFundId, d -> Scenario.EFFECTIVE.toEpochMilli());
    Set<String> funds = definitions.stream().map(FundDefinition::getFundId).collect(Collectors.toSet());
    topics.readUntil(
        "fund-state",
        FLOW_TIMEOUT,
        records -> decode(records, FundState.class).stream().map(FundState::getFundId).collect(Collectors.toSet()).containsAll(funds),
        navstream::logTail);
    produce("prices", scenario.ticks().stream().map(Tick::avro).toList(), p -> p.getSymbol(), p -> p.getEventTime().toEpochMilli());
  }

  private <T extends org.apache.avro.specific.SpecificRecord> void produce(
      String topic, List<T> records, Function<T, String> key, Function<T, Long> timestamp) {
    try (KafkaProducer<byte[], byte[]> producer =
        connect.kafka().createProducer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
      for (T r : records) {
        producer.send(
            new ProducerRecord<>(topic, null, timestamp.apply(r),
                key.apply(r).getBytes(java.nio.charset.StandardCharsets.UTF_8), wire.serialize(topic, r)));
      }
      producer.flush();
    }
  }

  private <T extends org.apache.avro.specific.SpecificRecord> List<T> decode(
      List<ConsumerRecord<byte[], byte[]>> records, Class<T> type) {
    return records.stream().map(r -> wire.deserialize(r.value(), type)).toList();
  }

  /** Waits until every table holds what navstream's output says it must. */
  private void awaitRows() throws Exception {
    Map<String, Map<String, String>> latest = Replay.lastPerFund(replay.navUpdates());
    Map<String, Map<String, String>> states = Replay.lastPerFund(replay.fundStates());
    Instant closedBy = scenario.lastTick().minus(Candles.WINDOW);
    long closedCandles = candles.stream().filter(c -> !c.getWindowEnd().isAfter(closedBy)).count();
    Await.until(
        "the sinks to write navstream's output",
        FLOW_TIMEOUT,
        () -> {
          Map<String, Object> seen = new LinkedHashMap<>();
          seen.put("nav_latest", query("SELECT fund_id, event_time FROM nav_latest"));
          seen.put("rebalances", queryLong("SELECT count(*) FROM rebalances"));
          seen.put("nav_history", queryLong("SELECT count(*) FROM nav_history"));
          seen.put("funds", query("SELECT fund_id, event_time FROM funds"));
          return seen;
        },
        seen ->
            matchesLast(seen.get("nav_latest"), latest)
                && (long) seen.get("rebalances") == replay.rebalanceInstructions().size()
                && (long) seen.get("nav_history") >= closedCandles
                && matchesLast(seen.get("funds"), states),
        this::connectorStates);
  }

  private static boolean matchesLast(Object rows, Map<String, Map<String, String>> expected) {
    @SuppressWarnings("unchecked")
    List<Map<String, String>> list = (List<Map<String, String>>) rows;
    return list.size() == expected.size()
        && list.stream().allMatch(r -> expected.containsKey(r.get("fundId"))
            && expected.get(r.get("fundId")).get("eventTime").equals(r.get("eventTime")));
  }

  private String connectorStates() {
    StringBuilder out = new StringBuilder("connectors:");
    for (String name : CONNECTORS) {
      try {
        ConnectorStateInfo info = connect.connectorStatus(name);
        out.append("\n  ").append(name).append(": ").append(info.connector().state());
        info.tasks().forEach(t -> out.append(", task ").append(t.id()).append(' ').append(t.state())
            .append(t.trace() == null ? "" : "\n" + t.trace()));
      } catch (RuntimeException e) {
        out.append("\n  ").append(name).append(": ").append(e.getMessage());
      }
    }
    return out.append("\n(worker log: target/surefire-reports/").append(getClass().getName()).append("-output.txt)").toString();
  }

  List<Map<String, String>> query(String sql) throws Exception {
    return query(sql, Map.of());
  }

  private List<Map<String, String>> query(String sql, Map<String, String> names) throws Exception {
    try (Connection c = pg.connect()) {
      return Values.rows(c, sql, names);
    }
  }

  private long queryLong(String sql) throws Exception {
    try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<String, List<Map<String, String>>> byFund(List<Map<String, String>> records) {
    Map<String, List<Map<String, String>>> out = new TreeMap<>();
    records.forEach(r -> out.computeIfAbsent(r.get("fundId"), k -> new ArrayList<>()).add(r));
    return out;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
