package io.navstream.config;

import static io.navstream.config.ConfigKeys.*;

import io.navstream.serde.RegistrySettings;
import io.navstream.topology.NavTopology;
import io.navstream.topology.TopicNames;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * navstream's effective configuration, immutable. Built by layering, later layers winning:
 *
 * <ol>
 *   <li>built-in defaults ({@link ConfigKeys#ALL});
 *   <li>an optional properties file ({@code --config FILE});
 *   <li>environment variables: {@code NAVSTREAM_} + the key upper-cased with '.' and '-' as '_'
 *       ({@code NAVSTREAM_TOPICS_FUND_DEFINITIONS} sets {@code topics.fund-definitions}), and {@code
 *       NAVSTREAM_KAFKA_<NAME>} sets {@code kafka.<name lower-cased, '_' as '.'>};
 *   <li>optional programmatic overrides ({@link #withOverrides}), for commands such as a demo that
 *       bring their own broker.
 * </ol>
 *
 * <p>Keys starting with {@code kafka.} pass through to Kafka Streams without the prefix. Unknown keys
 * and unknown {@code NAVSTREAM_} variables are errors, so that a typo never silently leaves a
 * default in place. Every problem names the key and the layer it came from, and all problems are
 * reported together in one {@link ConfigException}.
 */
public final class NavstreamConfig {
  private static final Logger log = LoggerFactory.getLogger(NavstreamConfig.class);

  /** What secrets print as. */
  static final String MASK = "******";

  private static final String KAFKA_ENV_PREFIX = ConfigKey.ENV_PREFIX + "KAFKA_";
  private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> GUARANTEES =
      Set.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE);

  /**
   * Kafka Streams settings that navstream derives from its own keys. Setting them again as {@code
   * kafka.*} would give two sources of truth, so that is an error pointing at the navstream key.
   */
  private static final Map<String, String> OWNED_STREAMS_SETTINGS =
      Map.of(
          StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID,
          StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS,
          StreamsConfig.PROCESSING_GUARANTEE_CONFIG, PROCESSING_GUARANTEE,
          StreamsConfig.REPLICATION_FACTOR_CONFIG, TOPICS_REPLICATION_FACTOR,
          StreamsConfig.NUM_STREAM_THREADS_CONFIG, NUM_STREAM_THREADS,
          StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, NUM_STANDBY_REPLICAS,
          StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, MAX_TASK_IDLE_MS,
          StreamsConfig.STATE_DIR_CONFIG, STATE_DIR);

  private static final String PRODUCER_ACKS = StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG);

  /** One value and where it came from. */
  private record Entry(String value, Source source) {}

  /** The raw layers, kept so that {@link #withOverrides} can layer one more and re-validate. */
  private final List<Map<String, Entry>> layers;

  /** The effective value of every key that has one (navstream keys and kafka.* keys). */
  private final Map<String, Entry> effective;

  private final String applicationId;
  private final String bootstrapServers;
  private final String registryUrl;
  private final String registryBasicAuth;
  private final String registryBearerToken;
  private final boolean registryAutoRegister;
  private final int registryTimeoutMs;
  private final int registryRetries;
  private final int registryBackoffMs;
  private final int registryBackoffMaxMs;
  private final TopicNames topicNames;
  private final int partitions;
  private final short replicationFactor;
  private final boolean createTopics;
  private final int provisionTimeoutMs;
  private final String stateDir;
  private final int numStreamThreads;
  private final int numStandbyReplicas;
  private final long maxTaskIdleMs;
  private final String processingGuarantee;
  private final long shutdownTimeoutMs;
  private final int threadFailuresMax;
  private final long threadFailuresWindowMs;
  private final boolean httpEnabled;
  private final String httpHost;
  private final int httpPort;
  private final String httpAdvertisedHost;
  private final String httpAuthToken;
  private final boolean httpAuthReads;
  private final long overdueAfterMs;
  private final long premiumGraceMs;
  private final BigDecimal premiumAlertThreshold;
  /** Pass-through settings without the {@code kafka.} prefix, sorted by name. */
  private final Map<String, String> kafkaSettings;
  private final String producerAcks;

  /** Defaults, then {@code fileOrNull}, then the process environment. */
  public static NavstreamConfig load(Path fileOrNull) {
    return load(fileOrNull, System.getenv());
  }

  /** Defaults, then {@code fileOrNull}, then {@code env} (only its {@code NAVSTREAM_*} entries). */
  public static NavstreamConfig load(Path fileOrNull, Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    List<String> problems = new ArrayList<>();
    List<Map<String, Entry>> layers = new ArrayList<>();
    layers.add(defaultsLayer());
    if (fileOrNull != null) {
      layers.add(fileLayer(fileOrNull, problems));
    }
    layers.add(environmentLayer(env, problems));
    return new NavstreamConfig(layers, problems);
  }

  /**
   * This configuration with one more layer on top, for example a demo command pointing {@code
   * bootstrap.servers} at its embedded broker. Keys are navstream keys or {@code kafka.*}.
   *
   * @param name names the layer in messages and {@link #describe()}
   */
  public NavstreamConfig withOverrides(String name, Map<String, String> overrides) {
    Objects.requireNonNull(name, "name");
    List<String> problems = new ArrayList<>();
    Source source = Source.override(name);
    Map<String, Entry> layer = new LinkedHashMap<>();
    new TreeMap<>(overrides)
        .forEach(
            (key, value) -> {
              if (isKnownKey(key)) {
                layer.put(key, new Entry(value.trim(), source));
              } else {
                problems.add(
                    "unknown key '" + key + "' (from " + source + ")"
                        + suggestion(key, BY_NAME.keySet()));
              }
            });
    List<Map<String, Entry>> more = new ArrayList<>(layers);
    more.add(layer);
    return new NavstreamConfig(more, problems);
  }

  private NavstreamConfig(List<Map<String, Entry>> layers, List<String> problems) {
    this.layers = layers.stream().map(Collections::unmodifiableMap).toList();
    Map<String, Entry> merged = new LinkedHashMap<>();
    layers.forEach(merged::putAll);
    this.effective = Collections.unmodifiableMap(merged);
    Values v = new Values(merged, problems);

    applicationId = v.topicLike(APPLICATION_ID);
    bootstrapServers = v.optional(BOOTSTRAP_SERVERS);
    registryUrl = v.url(REGISTRY_URL);
    registryBasicAuth = v.optional(REGISTRY_BASIC_AUTH);
    registryBearerToken = v.optional(REGISTRY_BEARER_TOKEN);
    registryAutoRegister = v.bool(REGISTRY_AUTO_REGISTER);
    registryTimeoutMs = v.intIn(REGISTRY_TIMEOUT_MS, 1, Integer.MAX_VALUE);
    registryRetries = v.intIn(REGISTRY_RETRIES, 0, Integer.MAX_VALUE);
    registryBackoffMs = v.intIn(REGISTRY_BACKOFF_MS, 0, Integer.MAX_VALUE);
    registryBackoffMaxMs = v.intIn(REGISTRY_BACKOFF_MAX_MS, 0, Integer.MAX_VALUE);
    topicNames =
        new TopicNames(
            v.topicLike(TOPICS_PRICES),
            v.topicLike(TOPICS_FUND_DEFINITIONS),
            v.topicLike(TOPICS_FUNDING_RATES),
            v.topicLike(TOPICS_NAV_UPDATES),
            v.topicLike(TOPICS_REBALANCE_INSTRUCTIONS),
            v.topicLike(TOPICS_FUND_STATE),
            v.topicLike(TOPICS_DEAD_LETTER),
            v.topicLike(TOPICS_FUND_COMMANDS),
            v.topicLike(TOPICS_NAV_CANDLES),
            v.topicLike(TOPICS_FUND_FLOWS),
            v.topicLike(TOPICS_FLOW_RESULTS),
            v.topicLike(TOPICS_CORPORATE_ACTIONS),
            v.topicLike(TOPICS_TOKEN_PRICES),
            v.topicLike(TOPICS_PREMIUM_DISCOUNT));
    partitions = v.intIn(TOPICS_PARTITIONS, 1, Integer.MAX_VALUE);
    replicationFactor = (short) v.replicationFactor(TOPICS_REPLICATION_FACTOR);
    createTopics = v.bool(TOPICS_CREATE);
    provisionTimeoutMs = v.intIn(TOPICS_PROVISION_TIMEOUT_MS, 1, Integer.MAX_VALUE);
    stateDir = v.optional(STATE_DIR);
    numStreamThreads = v.intIn(NUM_STREAM_THREADS, 1, Integer.MAX_VALUE);
    numStandbyReplicas = v.intIn(NUM_STANDBY_REPLICAS, 0, Integer.MAX_VALUE);
    maxTaskIdleMs = v.longIn(MAX_TASK_IDLE_MS, -1, Long.MAX_VALUE);
    processingGuarantee = v.oneOf(PROCESSING_GUARANTEE, GUARANTEES);
    shutdownTimeoutMs = v.longIn(SHUTDOWN_TIMEOUT_MS, 0, Long.MAX_VALUE);
    threadFailuresMax = v.intIn(THREAD_FAILURES_MAX, 0, Integer.MAX_VALUE);
    threadFailuresWindowMs = v.longIn(THREAD_FAILURES_WINDOW_MS, 1, Long.MAX_VALUE);
    httpEnabled = v.bool(HTTP_ENABLED);
    httpHost = v.required(HTTP_HOST);
    httpPort = v.intIn(HTTP_PORT, 0, 65535);
    httpAdvertisedHost = v.required(HTTP_ADVERTISED_HOST);
    httpAuthToken = v.optional(HTTP_AUTH_TOKEN);
    httpAuthReads = v.bool(HTTP_AUTH_READS);
    overdueAfterMs = v.longIn(OVERDUE_AFTER_MS, 0, Long.MAX_VALUE);
    premiumGraceMs = v.longIn(PREMIUM_GRACE_MS, 0, Long.MAX_VALUE);
    premiumAlertThreshold = nonNegativeDecimal(v.optional(PREMIUM_ALERT_THRESHOLD),
        v.describe(PREMIUM_ALERT_THRESHOLD), problems);
    if (httpAuthReads && httpAuthToken == null) {
      problems.add(v.describe(HTTP_AUTH_READS) + ": needs " + HTTP_AUTH_TOKEN + " to be set");
    }

    if (registryBasicAuth != null && registryBearerToken != null) {
      problems.add(
          REGISTRY_BASIC_AUTH + " (from " + v.source(REGISTRY_BASIC_AUTH) + ") and "
              + REGISTRY_BEARER_TOKEN + " (from " + v.source(REGISTRY_BEARER_TOKEN)
              + ") are both set: use Basic auth or a bearer token for the registry, not both");
    }
    if (registryBasicAuth != null && !registryBasicAuth.contains(":")) {
      problems.add(v.describe(REGISTRY_BASIC_AUTH) + ": must be user:password");
    }
    if (registryBackoffMaxMs < registryBackoffMs) {
      problems.add(
          v.describe(REGISTRY_BACKOFF_MAX_MS) + ": must be at least " + REGISTRY_BACKOFF_MS
              + " (" + registryBackoffMs + ")");
    }
    checkDistinctTopics(v, problems);

    Map<String, String> kafka = new TreeMap<>();
    Set<String> unknownKafka = new TreeSet<>();
    checkKafkaSettings(merged, kafka, unknownKafka, problems);
    this.kafkaSettings = Collections.unmodifiableMap(kafka);
    // A bare kafka.acks would otherwise be shadowed by our producer.acks, since prefixed wins.
    this.producerAcks =
        kafka.getOrDefault(PRODUCER_ACKS, kafka.getOrDefault(ProducerConfig.ACKS_CONFIG, "all"));

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    for (String name : unknownKafka) {
      log.warn(
          "{}{} (from {}) is not a Kafka Streams, producer, consumer or admin setting of this Kafka"
              + " version; passing it through anyway. Check the name for typos.",
          KAFKA_PREFIX, name, merged.get(KAFKA_PREFIX + name).source());
    }
    if (!producerAcks.equals("all") && !producerAcks.equals("-1")) {
      String key = kafka.containsKey(PRODUCER_ACKS) ? PRODUCER_ACKS : ProducerConfig.ACKS_CONFIG;
      log.warn(
          "{}{}={} (from {}) weakens navstream's default acks=all: records acknowledged by fewer"
              + " than all in-sync replicas can be lost when a broker fails, and exactly_once_v2"
              + " requires acks=all.",
          KAFKA_PREFIX, key, producerAcks, merged.get(KAFKA_PREFIX + key).source());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Layers

  private static Map<String, Entry> defaultsLayer() {
    Map<String, Entry> layer = new LinkedHashMap<>();
    for (ConfigKey key : ALL) {
      if (key.defaultValue() != null) {
        layer.put(key.name(), new Entry(key.defaultValue(), Source.DEFAULT));
      }
    }
    return layer;
  }

  private static Map<String, Entry> fileLayer(Path file, List<String> problems) {
    Source source = Source.file(file.toString());
    Properties props = new Properties();
    if (!Files.isRegularFile(file)) {
      problems.add("config file " + file + " does not exist or is not a regular file");
      return Map.of();
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException | IllegalArgumentException e) {
      problems.add("cannot read config file " + file + ": " + e.getMessage());
      return Map.of();
    }
    Map<String, Entry> layer = new LinkedHashMap<>();
    for (String key : new TreeSet<>(props.stringPropertyNames())) {
      if (isKnownKey(key)) {
        // Properties keeps trailing blanks in values, an invisible and common mistake.
        layer.put(key, new Entry(props.getProperty(key).trim(), source));
      } else {
        problems.add(
            "unknown key '" + key + "' in config file " + file + suggestion(key, BY_NAME.keySet()));
      }
    }
    return layer;
  }

  private static Map<String, Entry> environmentLayer(Map<String, String> env, List<String> problems) {
    Map<String, Entry> layer = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String var = e.getKey();
      if (!var.startsWith(ConfigKey.ENV_PREFIX) || var.equals(LOG_LEVEL_ENV)) {
        continue;
      }
      Source source = Source.environment(var);
      String value = e.getValue().trim();
      ConfigKey key = BY_ENV_NAME.get(var);
      if (key != null) {
        layer.put(key.name(), new Entry(value, source));
      } else if (var.startsWith(KAFKA_ENV_PREFIX) && var.length() > KAFKA_ENV_PREFIX.length()) {
        // Kafka config names use only dots, so '_' maps back unambiguously.
        String name =
            var.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        layer.put(KAFKA_PREFIX + name, new Entry(value, source));
      } else {
        Set<String> known = new TreeSet<>(BY_ENV_NAME.keySet());
        known.add(LOG_LEVEL_ENV);
        problems.add(
            "unknown environment variable " + var + suggestion(var, known)
                + "; navstream reads NAVSTREAM_<KEY> for its own keys and NAVSTREAM_KAFKA_<SETTING>"
                + " for Kafka settings");
      }
    }
    return layer;
  }

  private static boolean isKnownKey(String key) {
    return BY_NAME.containsKey(key) || key.startsWith(KAFKA_PREFIX);
  }

  // ---------------------------------------------------------------------------------------------
  // Cross-key checks

  private void checkDistinctTopics(Values v, List<String> problems) {
    Map<String, String> byKey = new LinkedHashMap<>();
    byKey.put(TOPICS_PRICES, topicNames.prices());
    byKey.put(TOPICS_FUND_DEFINITIONS, topicNames.fundDefinitions());
    byKey.put(TOPICS_FUNDING_RATES, topicNames.fundingRates());
    byKey.put(TOPICS_NAV_UPDATES, topicNames.navUpdates());
    byKey.put(TOPICS_REBALANCE_INSTRUCTIONS, topicNames.rebalanceInstructions());
    byKey.put(TOPICS_FUND_STATE, topicNames.fundState());
    byKey.put(TOPICS_DEAD_LETTER, topicNames.deadLetter());
    byKey.put(TOPICS_FUND_COMMANDS, topicNames.fundCommands());
    byKey.put(TOPICS_NAV_CANDLES, topicNames.navCandles());
    byKey.put(TOPICS_FUND_FLOWS, topicNames.fundFlows());
    byKey.put(TOPICS_FLOW_RESULTS, topicNames.flowResults());
    byKey.put(TOPICS_CORPORATE_ACTIONS, topicNames.corporateActions());
    byKey.put(TOPICS_TOKEN_PRICES, topicNames.tokenPrices());
    byKey.put(TOPICS_PREMIUM_DISCOUNT, topicNames.premiumDiscount());
    Map<String, String> seen = new HashMap<>();
    byKey.forEach(
        (key, topic) -> {
          String other = seen.putIfAbsent(topic, key);
          if (other != null) {
            problems.add(v.describe(key) + ": the same topic as " + other + "; topics must differ");
          }
        });
  }

  private void checkKafkaSettings(
      Map<String, Entry> merged,
      Map<String, String> kafka,
      Set<String> unknown,
      List<String> problems) {
    KafkaSettings definitions = new KafkaSettings();
    Set<String> required = NavTopology.requiredStreamsConfig(topicNames).keySet();
    for (Map.Entry<String, Entry> e : merged.entrySet()) {
      if (!e.getKey().startsWith(KAFKA_PREFIX)) {
        continue;
      }
      String name = e.getKey().substring(KAFKA_PREFIX.length());
      String shown = e.getKey() + " (from " + e.getValue().source() + ")";
      if (name.isEmpty()) {
        problems.add(shown + ": a Kafka setting name must follow 'kafka.'");
      } else if (OWNED_STREAMS_SETTINGS.containsKey(name)) {
        problems.add(shown + ": set " + OWNED_STREAMS_SETTINGS.get(name) + " instead");
      } else if (required.contains(name)) {
        problems.add(shown + ": navstream sets " + name + " itself because its topology needs it");
      } else {
        KafkaSettings.Check check = definitions.check(name, e.getValue().value());
        switch (check.status()) {
          case INVALID -> problems.add(shown + ": " + check.message());
          case UNKNOWN -> unknown.add(name);
          case VALID -> {}
        }
        kafka.put(name, e.getValue().value());
      }
    }
  }

  /** " (did you mean X?)" for the closest candidate within a few edits, or "". */
  private static String suggestion(String given, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = editDistance(given.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= 3 ? " (did you mean " + best + "?)" : "";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  // ---------------------------------------------------------------------------------------------
  // What the rest of navstream reads

  /** The settings for {@code new KafkaStreams(topology, props)}; see the class comment for layering. */
  public Properties streamsProperties() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    if (bootstrapServers != null) {
      p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(replicationFactor));
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(numStreamThreads));
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, String.valueOf(numStandbyReplicas));
    p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, String.valueOf(maxTaskIdleMs));
    if (stateDir != null) {
      p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    }
    // commit.interval.ms is deliberately left alone: Kafka's exactly-once default (100 ms) stays.
    p.putAll(kafkaSettings);
    p.put(PRODUCER_ACKS, producerAcks);
    // Last, so that nothing above can switch off what the topology depends on.
    p.putAll(NavTopology.requiredStreamsConfig(topicNames));
    return p;
  }

  /**
   * How to reach the schema registry.
   *
   * @throws ConfigException when {@code schema.registry.url} is not set
   */
  public RegistrySettings registrySettings() {
    if (registryUrl == null) {
      throw new ConfigException(
          REGISTRY_URL + " is not set: set it in the config file or "
              + ConfigKey.envNameOf(REGISTRY_URL));
    }
    return new RegistrySettings(
        registryUrl,
        registryBasicAuth,
        registryBearerToken,
        registryAutoRegister,
        Duration.ofMillis(registryTimeoutMs),
        Duration.ofMillis(registryTimeoutMs),
        registryRetries,
        Duration.ofMillis(registryBackoffMs),
        Duration.ofMillis(registryBackoffMaxMs));
  }

  public String applicationId() {
    return applicationId;
  }

  /** The Kafka brokers, or empty when none is configured. */
  public Optional<String> bootstrapServers() {
    return Optional.ofNullable(bootstrapServers);
  }

  /** The schema registry URL, or empty when none is configured. */
  public Optional<String> schemaRegistryUrl() {
    return Optional.ofNullable(registryUrl);
  }

  public TopicNames topicNames() {
    return topicNames;
  }

  /** Partitions of created topics and of the repartition topic; prices and funding-rates must match. */
  public int partitions() {
    return partitions;
  }

  /** Replication factor of created topics; -1 means the broker's default. */
  public short replicationFactor() {
    return replicationFactor;
  }

  public boolean createTopics() {
    return createTopics;
  }

  /** Timeout of the topic checks and creation at start. */
  public Duration topicProvisionTimeout() {
    return Duration.ofMillis(provisionTimeoutMs);
  }

  public Duration shutdownTimeout() {
    return Duration.ofMillis(shutdownTimeoutMs);
  }

  /** Stream-thread failures tolerated within {@link #threadFailureWindow()}; one more is fatal. */
  public int maxThreadFailures() {
    return threadFailuresMax;
  }

  public Duration threadFailureWindow() {
    return Duration.ofMillis(threadFailuresWindowMs);
  }

  /** Whether to serve the operator HTTP API. */
  public boolean httpEnabled() {
    return httpEnabled;
  }

  /** The address the HTTP API binds to. */
  public String httpHost() {
    return httpHost;
  }

  /** The HTTP API's port; 0 picks a free one. */
  public int httpPort() {
    return httpPort;
  }

  /** The host other instances reach this one at (with the actual port: application.server). */
  public String httpAdvertisedHost() {
    return httpAdvertisedHost;
  }

  /** The bearer token of operator actions; empty disables them. */
  public Optional<String> httpAuthToken() {
    return Optional.ofNullable(httpAuthToken);
  }

  /** Whether read endpoints require the token too. */
  public boolean httpAuthReads() {
    return httpAuthReads;
  }

  /** How far past its next scheduled rebalance, on the wall clock, a fund counts as overdue. */
  public Duration overdueAfter() {
    return Duration.ofMillis(overdueAfterMs);
  }

  /** How long a token price waits, in event time, for the NAV of its own timestamp. */
  public Duration premiumGrace() {
    return Duration.ofMillis(premiumGraceMs);
  }

  /** The global |premium| alert threshold, or null when disabled. */
  public BigDecimal premiumAlertThreshold() {
    return premiumAlertThreshold;
  }

  private static BigDecimal nonNegativeDecimal(String text, String described, List<String> problems) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      BigDecimal value = new BigDecimal(text.trim());
      if (value.signum() >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(described + ": must be a non-negative decimal such as 0.05");
    return null;
  }

  /** The {@code kafka.*} settings without their prefix, sorted by name. */
  public Map<String, String> kafkaSettings() {
    return kafkaSettings;
  }

  /** The effective raw value of a navstream or {@code kafka.*} key, if it has one. */
  public Optional<String> value(String key) {
    return Optional.ofNullable(effective.get(key)).map(Entry::value);
  }

  /** Where the effective value of {@code key} came from, if it has one. */
  public Optional<Source> sourceOf(String key) {
    return Optional.ofNullable(effective.get(key)).map(Entry::source);
  }

  /**
   * The effective configuration, one key per line with its source layer; secrets are masked. Keys
   * without a value show {@code (not set)}.
   */
  public String describe() {
    List<String> keys = new ArrayList<>(BY_NAME.keySet());
    effective.keySet().stream().filter(k -> k.startsWith(KAFKA_PREFIX)).sorted().forEach(keys::add);
    int width = keys.stream().mapToInt(String::length).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String key : keys) {
      Entry e = effective.get(key);
      if (sb.length() > 0) {
        sb.append(System.lineSeparator());
      }
      sb.append(String.format(Locale.ROOT, "%-" + width + "s = ", key));
      if (e == null) {
        sb.append("(not set)");
      } else {
        sb.append(shown(key, e.value())).append("  [").append(e.source()).append(']');
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "NavstreamConfig[application.id=" + applicationId + ", bootstrap.servers="
        + bootstrapServers + "]";
  }

  private static String shown(String key, String value) {
    return ConfigKey.isSecretKey(key) && !value.isEmpty() ? MASK : value;
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Typed reads of the merged values. A bad value adds a problem naming key, value and source, and
   * reads as the key's default so that later checks do not pile follow-up errors on it.
   */
  private static final class Values {
    private final Map<String, Entry> merged;
    private final List<String> problems;

    Values(Map<String, Entry> merged, List<String> problems) {
      this.merged = merged;
      this.problems = problems;
    }

    Source source(String key) {
      Entry e = merged.get(key);
      return e == null ? Source.DEFAULT : e.source();
    }

    /** {@code key=value (from source)}, the value masked if secret. */
    String describe(String key) {
      Entry e = merged.get(key);
      String value = e == null ? "" : shown(key, e.value());
      return key + "=" + value + " (from " + source(key) + ")";
    }

    private String raw(String key) {
      Entry e = merged.get(key);
      return e == null ? null : e.value();
    }

    private String fallback(String key) {
      return BY_NAME.get(key).defaultValue();
    }

    private String problem(String key, String reason) {
      problems.add(describe(key) + ": " + reason);
      return fallback(key);
    }

    /** A non-empty value. */
    String required(String key) {
      String v = optional(key);
      return v == null ? problem(key, "must not be empty") : v;
    }

    /** Null when unset or empty: "no value" for settings without a default. */
    String optional(String key) {
      String v = raw(key);
      return v == null || v.isEmpty() ? null : v;
    }

    /** Topic names, and the application id that prefixes internal topic names. */
    String topicLike(String key) {
      String v = raw(key);
      if (v == null || v.isEmpty()) {
        return problem(key, "must not be empty");
      }
      if (!LEGAL_TOPIC.matcher(v).matches() || v.equals(".") || v.equals("..")) {
        return problem(key, "not a legal topic name (letters, digits, '.', '_', '-'; at most 249)");
      }
      return v;
    }

    String url(String key) {
      String v = optional(key);
      if (v == null) {
        return null;
      }
      try {
        URI uri = new URI(v);
        String scheme = uri.getScheme();
        if (scheme == null
            || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
            || uri.getHost() == null) {
          problem(key, "not an http:// or https:// URL with a host");
          return null;
        }
        return v;
      } catch (URISyntaxException e) {
        problem(key, "not a URL: " + e.getReason());
        return null;
      }
    }

    boolean bool(String key) {
      String v = raw(key);
      if ("true".equalsIgnoreCase(v)) {
        return true;
      }
      if ("false".equalsIgnoreCase(v)) {
        return false;
      }
      return Boolean.parseBoolean(problem(key, "not a boolean (true or false)"));
    }

    int intIn(String key, int min, int max) {
      return (int) longIn(key, min, max, "an integer");
    }

    long longIn(String key, long min, long max) {
      return longIn(key, min, max, "an integer");
    }

    private long longIn(String key, long min, long max, String what) {
      String v = raw(key);
      long parsed;
      try {
        parsed = Long.parseLong(v == null ? "" : v);
      } catch (NumberFormatException e) {
        return Long.parseLong(problem(key, "not " + what));
      }
      if (parsed < min || parsed > max) {
        String range =
            max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                ? "must be at least " + min
                : "must be between " + min + " and " + max;
        return Long.parseLong(problem(key, range));
      }
      return parsed;
    }

    int replicationFactor(String key) {
      int rf = intIn(key, -1, Short.MAX_VALUE);
      if (rf == 0) {
        return Integer.parseInt(problem(key, "must be -1 (the broker's default) or at least 1"));
      }
      return rf;
    }

    String oneOf(String key, Set<String> allowed) {
      String v = raw(key);
      if (v == null || !allowed.contains(v)) {
        return problem(key, "must be one of " + new TreeSet<>(allowed));
      }
      return v;
    }
  }
}
