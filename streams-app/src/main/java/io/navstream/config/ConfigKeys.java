package io.navstream.config;

import io.navstream.config.ConfigKey.Type;
import io.navstream.topology.TopicNames;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The navstream settings. Names are constants so that code and tests do not repeat strings. */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** Prefix of settings passed through to Kafka Streams, with the prefix removed. */
  public static final String KAFKA_PREFIX = "kafka.";

  /** Read by logback.xml itself, not by navstream; allowed so it is not reported as a typo. */
  public static final String LOG_LEVEL_ENV = "NAVSTREAM_LOG_LEVEL";

  public static final String APPLICATION_ID = "application.id";
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String REGISTRY_BASIC_AUTH = "schema.registry.basic.auth.user.info";
  public static final String REGISTRY_BEARER_TOKEN = "schema.registry.bearer.token";
  public static final String REGISTRY_AUTO_REGISTER = "schema.registry.auto.register";
  public static final String REGISTRY_TIMEOUT_MS = "schema.registry.timeout.ms";
  public static final String REGISTRY_RETRIES = "schema.registry.retries";
  public static final String REGISTRY_BACKOFF_MS = "schema.registry.backoff.ms";
  public static final String REGISTRY_BACKOFF_MAX_MS = "schema.registry.backoff.max.ms";
  public static final String TOPICS_PRICES = "topics.prices";
  public static final String TOPICS_FUND_DEFINITIONS = "topics.fund-definitions";
  public static final String TOPICS_FUNDING_RATES = "topics.funding-rates";
  public static final String TOPICS_NAV_UPDATES = "topics.nav-updates";
  public static final String TOPICS_REBALANCE_INSTRUCTIONS = "topics.rebalance-instructions";
  public static final String TOPICS_FUND_STATE = "topics.fund-state";
  public static final String TOPICS_DEAD_LETTER = "topics.dead-letter";
  public static final String TOPICS_FUND_COMMANDS = "topics.fund-commands";
  public static final String TOPICS_NAV_CANDLES = "topics.nav-candles";
  public static final String TOPICS_FUND_FLOWS = "topics.fund-flows";
  public static final String TOPICS_FLOW_RESULTS = "topics.flow-results";
  public static final String TOPICS_CORPORATE_ACTIONS = "topics.corporate-actions";
  public static final String TOPICS_TOKEN_PRICES = "topics.token-prices";
  public static final String TOPICS_PREMIUM_DISCOUNT = "topics.premium-discount";
  public static final String PREMIUM_ENABLED = "premium.enabled";
  public static final String PREMIUM_GRACE_MS = "premium.grace.ms";
  public static final String PREMIUM_ALERT_THRESHOLD = "premium.alert.threshold";
  public static final String TOPICS_PARTITIONS = "topics.partitions";
  public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
  public static final String TOPICS_CREATE = "topics.create";
  public static final String TOPICS_PROVISION_TIMEOUT_MS = "topics.provision.timeout.ms";
  public static final String STATE_DIR = "state.dir";
  public static final String NUM_STREAM_THREADS = "num.stream.threads";
  public static final String NUM_STANDBY_REPLICAS = "num.standby.replicas";
  public static final String MAX_TASK_IDLE_MS = "max.task.idle.ms";
  public static final String PROCESSING_GUARANTEE = "processing.guarantee";
  public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
  public static final String THREAD_FAILURES_MAX = "thread.failures.max";
  public static final String THREAD_FAILURES_WINDOW_MS = "thread.failures.window.ms";
  public static final String HTTP_ENABLED = "http.enabled";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
  public static final String HTTP_AUTH_TOKEN = "http.auth.token";
  public static final String HTTP_AUTH_READS = "http.auth.reads";
  public static final String OVERDUE_AFTER_MS = "overdue.after.ms";

  /**
   * The settings that name every topic of {@code names}: {@code topics.<role>} for each role
   * {@link TopicNames#inputs} and {@link TopicNames#outputs} key, the way {@code run} reads them.
   */
  public static Map<String, String> topicSettings(TopicNames names) {
    Map<String, String> settings = new LinkedHashMap<>();
    names.inputs().forEach((role, topic) -> settings.put("topics." + role, topic));
    names.outputs().forEach((role, topic) -> settings.put("topics." + role, topic));
    return settings;
  }

  /** Every navstream setting, in the order {@code describe()} and the README list them. */
  public static final List<ConfigKey> ALL = build();

  private static List<ConfigKey> build() {
    TopicNames t = TopicNames.defaults();
    List<ConfigKey> keys =
        List.of(
            key(APPLICATION_ID, Type.STRING, "navstream",
                "Kafka Streams application id: consumer group, prefix of internal topics and state"
                    + " directories. Instances with the same id share the work."),
            key(BOOTSTRAP_SERVERS, Type.STRING, null,
                "Kafka brokers, host:port[,host:port...]. Required by `run`."),
            key(REGISTRY_URL, Type.STRING, null,
                "Schema registry base URL (Confluent protocol, e.g. http://localhost:8081)."
                    + " Required by `run`."),
            key(REGISTRY_BASIC_AUTH, Type.STRING, null,
                "user:password for Basic auth to the registry. Secret."),
            key(REGISTRY_BEARER_TOKEN, Type.STRING, null,
                "Bearer token for the registry (instead of Basic auth). Secret."),
            key(REGISTRY_AUTO_REGISTER, Type.BOOLEAN, "true",
                "Whether serializers register their schema; false only looks schemas up (registry"
                    + " managed by CI)."),
            key(REGISTRY_TIMEOUT_MS, Type.INT, "5000",
                "Connect and request timeout of one registry call, in ms."),
            key(REGISTRY_RETRIES, Type.INT, "3",
                "Retries of a registry call after I/O errors, 429 and 5xx answers."),
            key(REGISTRY_BACKOFF_MS, Type.INT, "100",
                "Wait before the first registry retry, in ms; doubled on each retry."),
            key(REGISTRY_BACKOFF_MAX_MS, Type.INT, "2000",
                "Cap of the wait between registry retries, in ms."),
            key(TOPICS_PRICES, Type.STRING, t.prices(), "Input topic of price ticks."),
            key(TOPICS_FUND_DEFINITIONS, Type.STRING, t.fundDefinitions(),
                "Input topic of fund definitions (compacted)."),
            key(TOPICS_FUNDING_RATES, Type.STRING, t.fundingRates(), "Input topic of funding rates."),
            key(TOPICS_NAV_UPDATES, Type.STRING, t.navUpdates(), "Output topic of NAV updates."),
            key(TOPICS_REBALANCE_INSTRUCTIONS, Type.STRING, t.rebalanceInstructions(),
                "Output topic of rebalance instructions."),
            key(TOPICS_FUND_STATE, Type.STRING, t.fundState(),
                "Output topic of the latest state per fund (compacted)."),
            key(TOPICS_DEAD_LETTER, Type.STRING, t.deadLetter(),
                "Output topic of records that could not be processed."),
            key(TOPICS_FUND_COMMANDS, Type.STRING, t.fundCommands(),
                "Input topic of operator commands (manual rebalance, pause, resume)."),
            key(TOPICS_NAV_CANDLES, Type.STRING, t.navCandles(),
                "Output topic of 1-minute NAV candles, one per fund per closed window."),
            key(TOPICS_FUND_FLOWS, Type.STRING, t.fundFlows(),
                "Input topic of creations and redemptions (FundFlow), key fundId."),
            key(TOPICS_FLOW_RESULTS, Type.STRING, t.flowResults(),
                "Output topic of the answers to fund flows (FlowResult)."),
            key(TOPICS_CORPORATE_ACTIONS, Type.STRING, t.corporateActions(),
                "Output topic of NAV splits and merges (CorporateAction)."),
            key(TOPICS_TOKEN_PRICES, Type.STRING, t.tokenPrices(),
                "Input topic of the tokens' own market prices (TokenPrice), key fundId; must have"
                    + " as many partitions as nav-updates and fund-state, which it is joined with."),
            key(TOPICS_PREMIUM_DISCOUNT, Type.STRING, t.premiumDiscount(),
                "Output topic of token market price against NAV (PremiumDiscount)."),
            key(TOPICS_PARTITIONS, Type.INT, "6",
                "Partitions of topics navstream creates and of its repartition topic. prices and"
                    + " funding-rates must have exactly this many (co-partitioning); see"
                    + " \"Changing the partition count\"."),
            key(TOPICS_REPLICATION_FACTOR, Type.INT, "-1",
                "Replication factor of created and internal topics; -1 uses the broker's default."),
            key(TOPICS_CREATE, Type.BOOLEAN, "true",
                "Create missing topics at start; false fails listing the missing topics instead."),
            key(TOPICS_PROVISION_TIMEOUT_MS, Type.INT, "30000",
                "Timeout of the topic checks and creation at start, in ms."),
            key(STATE_DIR, Type.STRING, null,
                "Directory of local state stores. Unset: Kafka's default (<java.io.tmpdir>/kafka-streams)."),
            key(NUM_STREAM_THREADS, Type.INT, "1", "Stream threads of this instance."),
            key(NUM_STANDBY_REPLICAS, Type.INT, "0",
                "Warm copies of each state store on other instances, for fast fail-over."),
            key(MAX_TASK_IDLE_MS, Type.LONG, "1000",
                "How long a task waits for data on all its inputs before processing what it has."
                    + " Prices and funding rates are merged by timestamp in one task; waiting lets a"
                    + " lagging input catch up so records are not processed out of time order."
                    + " -1 never waits."),
            key(PROCESSING_GUARANTEE, Type.STRING, "exactly_once_v2",
                "exactly_once_v2 (NAV updates and state change atomically) or at_least_once."),
            key(SHUTDOWN_TIMEOUT_MS, Type.LONG, "30000",
                "How long a clean shutdown may take before navstream gives up waiting, in ms."),
            key(THREAD_FAILURES_MAX, Type.INT, "3",
                "Stream-thread failures tolerated within thread.failures.window.ms, each replaced by"
                    + " a new thread; one more stops the instance with an error."),
            key(THREAD_FAILURES_WINDOW_MS, Type.LONG, "600000",
                "The window of thread.failures.max, in ms."),
            key(HTTP_ENABLED, Type.BOOLEAN, "true",
                "Serve the operator HTTP API (queries, health, metrics, operator actions)."),
            key(HTTP_HOST, Type.STRING, "0.0.0.0", "Address the HTTP API binds to."),
            key(HTTP_PORT, Type.INT, "8080", "Port of the HTTP API; 0 picks a free port."),
            key(HTTP_ADVERTISED_HOST, Type.STRING, "127.0.0.1",
                "Host other instances reach this one's HTTP API at; with the actual port it is"
                    + " Kafka Streams' application.server, used to route queries."),
            key(HTTP_AUTH_TOKEN, Type.STRING, null,
                "Bearer token operator actions (POST) require; unset disables them. Secret."),
            key(HTTP_AUTH_READS, Type.BOOLEAN, "false",
                "Whether read endpoints (GET /funds...) require the bearer token too."),
            key(OVERDUE_AFTER_MS, Type.LONG, "300000",
                "A fund is overdue when the wall clock is this long past its next scheduled"
                    + " rebalance (no tick arrived); flagged in /funds and in the metrics."),
            key(PREMIUM_ENABLED, Type.BOOLEAN, "true",
                "Whether to run the premium/discount join of token-prices with NAV. It keeps a"
                    + " versioned NAV history that every NAV update writes to; turn it off where no"
                    + " token market prices are published, to save that cost."),
            key(PREMIUM_GRACE_MS, Type.LONG, "1000",
                "How long, in event time, a token price waits for the NAV of its own timestamp"
                    + " before it is joined (the NAV history keeps at least this much)."),
            key(PREMIUM_ALERT_THRESHOLD, Type.STRING, "0.05",
                "|premium| above which premium-discount records are alerts, for funds without"
                    + " their own premiumAlertThreshold; empty disables the global threshold."));
    Set<String> envNames = new HashSet<>();
    for (ConfigKey k : keys) {
      if (!envNames.add(k.envName()) || k.name().startsWith(KAFKA_PREFIX)) {
        throw new IllegalStateException("ambiguous configuration key " + k.name());
      }
    }
    return keys;
  }

  private static ConfigKey key(String name, Type type, String defaultValue, String doc) {
    return new ConfigKey(name, type, defaultValue, doc);
  }

  /** The keys by name, in declaration order. */
  static final Map<String, ConfigKey> BY_NAME = index(ALL, ConfigKey::name);

  /** The keys by environment variable name. */
  static final Map<String, ConfigKey> BY_ENV_NAME = index(ALL, ConfigKey::envName);

  private static Map<String, ConfigKey> index(
      List<ConfigKey> keys, Function<ConfigKey, String> name) {
    Map<String, ConfigKey> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(name.apply(k), k));
    return Collections.unmodifiableMap(m);
  }
}
