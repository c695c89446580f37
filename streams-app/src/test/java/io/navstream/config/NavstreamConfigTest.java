package io.navstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.navstream.config.Source.Layer;
import io.navstream.serde.RegistrySettings;
import io.navstream.topology.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.slf4j.LoggerFactory;

class NavstreamConfigTest {
  private static final Map<String, String> NO_ENV = Map.of();

  @TempDir Path dir;

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger configLogger = (Logger) LoggerFactory.getLogger(NavstreamConfig.class);

  @BeforeEach
  void captureLogs() {
    logs.start();
    configLogger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    configLogger.detachAppender(logs);
  }

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("navstream.properties");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return f;
  }

  private static NavstreamConfig env(String... keyValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return NavstreamConfig.load(null, env);
  }

  // --- layering ---------------------------------------------------------------------------------

  @Test
  void topicSettingsNameEveryTopicTheWayTheConfigurationReadsThem() {
    TopicNames names = TopicNames.prefixed("run-7.");

    NavstreamConfig config = NavstreamConfig.load(null, Map.of())
        .withOverrides("test", ConfigKeys.topicSettings(names));

    assertThat(config.topicNames()).isEqualTo(names);
    assertThat(names.inputs()).allSatisfy((role, topic) -> assertThat(topic).isEqualTo("run-7." + role));
    assertThat(names.outputs()).allSatisfy((role, topic) -> assertThat(topic).isEqualTo("run-7." + role));
    assertThat(names.inputs().size() + names.outputs().size()).isEqualTo(14);
  }

  @Test
  void defaults() {
    NavstreamConfig c = NavstreamConfig.load(null, NO_ENV);

    assertThat(c.applicationId()).isEqualTo("navstream");
    assertThat(c.bootstrapServers()).isEmpty();
    assertThat(c.schemaRegistryUrl()).isEmpty();
    assertThat(c.topicNames()).isEqualTo(TopicNames.defaults());
    assertThat(c.partitions()).isEqualTo(6);
    assertThat(c.replicationFactor()).isEqualTo((short) -1);
    assertThat(c.createTopics()).isTrue();
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.topicProvisionTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxThreadFailures()).isEqualTo(3);
    assertThat(c.threadFailureWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.kafkaSettings()).isEmpty();
    assertThat(c.sourceOf(ConfigKeys.TOPICS_PARTITIONS)).contains(Source.DEFAULT);
    assertThat(c.sourceOf(ConfigKeys.BOOTSTRAP_SERVERS)).isEmpty();
  }

  @Test
  void fileOverridesDefaults() throws IOException {
    Path f = file(
        "application.id=nav-prod",
        "bootstrap.servers=broker-1:9092,broker-2:9092",
        "topics.partitions=12",
        "topics.fund-definitions=defs.v2",
        "topics.create=false  ");

    NavstreamConfig c = NavstreamConfig.load(f, NO_ENV);

    assertThat(c.applicationId()).isEqualTo("nav-prod");
    assertThat(c.bootstrapServers()).contains("broker-1:9092,broker-2:9092");
    assertThat(c.partitions()).isEqualTo(12);
    assertThat(c.topicNames().fundDefinitions()).isEqualTo("defs.v2");
    assertThat(c.createTopics()).as("trailing blanks are trimmed").isFalse();
    assertThat(c.topicNames().prices()).isEqualTo("prices");
    assertThat(c.sourceOf("topics.partitions")).contains(new Source(Layer.FILE, f.toString()));
  }

  @Test
  void environmentOverridesFile() throws IOException {
    Path f = file("topics.partitions=12", "topics.fund-definitions=from-file");

    NavstreamConfig c =
        NavstreamConfig.load(
            f,
            Map.of(
                "NAVSTREAM_TOPICS_PARTITIONS", "24",
                "NAVSTREAM_TOPICS_FUND_DEFINITIONS", "from-env",
                "PATH", "/usr/bin",
                "NAVSTREAM_LOG_LEVEL", "DEBUG"));

    assertThat(c.partitions()).isEqualTo(24);
    assertThat(c.topicNames().fundDefinitions()).isEqualTo("from-env");
    assertThat(c.sourceOf("topics.fund-definitions"))
        .contains(new Source(Layer.ENVIRONMENT, "NAVSTREAM_TOPICS_FUND_DEFINITIONS"));
  }

  /** Every key can be set from the environment under its documented name. */
  @ParameterizedTest
  @FieldSource("io.navstream.config.ConfigKeys#ALL")
  void everyKeyHasAnEnvironmentVariable(ConfigKey key) {
    String value =
        switch (key.type()) {
          case BOOLEAN -> "false";
          // Not the default, and valid together with the other keys' defaults.
          case INT, LONG -> String.valueOf(Math.abs(Long.parseLong(key.defaultValue())) + 1);
          case STRING -> switch (key.name()) {
            case ConfigKeys.PROCESSING_GUARANTEE -> "at_least_once";
            case ConfigKeys.REGISTRY_URL -> "https://registry.example";
            case ConfigKeys.REGISTRY_BASIC_AUTH -> "u:p";
            case ConfigKeys.PREMIUM_ALERT_THRESHOLD -> "0.1";
            default -> "value-" + key.name().replace('.', '-');
          };
        };

    NavstreamConfig c = NavstreamConfig.load(null, Map.of(key.envName(), value));

    assertThat(c.value(key.name())).contains(value);
    assertThat(c.sourceOf(key.name())).contains(new Source(Layer.ENVIRONMENT, key.envName()));
  }

  @Test
  void premiumSettingsAreReadAndValidated() {
    NavstreamConfig defaults = NavstreamConfig.load(null, Map.of());
    assertThat(defaults.premiumAlertThreshold()).isEqualByComparingTo("0.05");
    assertThat(defaults.premiumGrace()).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(defaults.topicNames().tokenPrices()).isEqualTo("token-prices");
    assertThat(defaults.premiumEnabled()).isTrue();
    assertThat(NavstreamConfig.load(null, Map.of("NAVSTREAM_PREMIUM_ENABLED", "false")).premiumEnabled())
        .isFalse();
    assertThat(NavstreamConfig.load(null, Map.of("NAVSTREAM_PREMIUM_ALERT_THRESHOLD", ""))
        .premiumAlertThreshold()).isNull();
    assertThatThrownBy(() -> NavstreamConfig.load(null, Map.of("NAVSTREAM_PREMIUM_ALERT_THRESHOLD", "-1")))
        .hasMessageContaining("premium.alert.threshold")
        .hasMessageContaining("non-negative decimal");
  }

  @Test
  void overridesWinOverEverything() {
    NavstreamConfig c =
        env("NAVSTREAM_BOOTSTRAP_SERVERS", "prod:9092")
            .withOverrides("demo", Map.of("bootstrap.servers", "embedded:1234"));

    assertThat(c.bootstrapServers()).contains("embedded:1234");
    assertThat(c.sourceOf("bootstrap.servers")).contains(new Source(Layer.OVERRIDE, "demo"));
    assertThatThrownBy(() -> c.withOverrides("demo", Map.of("bootstrap.server", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.server")
        .hasMessageContaining("did you mean bootstrap.servers?");
  }

  // --- kafka.* pass-through ---------------------------------------------------------------------

  @Test
  void kafkaSettingsPassThroughFromFileAndEnvironment() throws IOException {
    Path f = file(
        "kafka.security.protocol=SASL_SSL",
        "kafka.commit.interval.ms=1000",
        "kafka.producer.linger.ms=50");

    NavstreamConfig c =
        NavstreamConfig.load(
            f,
            Map.of(
                "NAVSTREAM_KAFKA_PRODUCER_LINGER_MS", "5",
                "NAVSTREAM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));
    Properties p = c.streamsProperties();

    assertThat(p)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("commit.interval.ms", "1000")
        .containsEntry("producer.linger.ms", "5")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(c.sourceOf("kafka.producer.linger.ms"))
        .contains(new Source(Layer.ENVIRONMENT, "NAVSTREAM_KAFKA_PRODUCER_LINGER_MS"));
    assertThat(p.keySet()).noneMatch(k -> k.toString().startsWith("kafka."));
  }

  @Test
  void passThroughWinsOverDefaultsButWeakerAcksAreWarnedAbout() {
    NavstreamConfig c = env("NAVSTREAM_KAFKA_PRODUCER_ACKS", "1");

    assertThat(c.streamsProperties()).containsEntry("producer.acks", "1");
    assertThat(logs.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage())
            .contains("kafka.producer.acks=1")
            .contains("NAVSTREAM_KAFKA_PRODUCER_ACKS")
            .contains("weakens"));
  }

  @Test
  void bareAcksIsNotShadowedByTheProducerDefault() {
    NavstreamConfig c = env("NAVSTREAM_KAFKA_ACKS", "0");

    assertThat(c.streamsProperties()).containsEntry("producer.acks", "0");
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("kafka.acks=0"));
  }

  @Test
  void noWarningWithDefaultAcks() {
    env("NAVSTREAM_KAFKA_PRODUCER_LINGER_MS", "5");

    assertThat(logs.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("weakens"));
  }

  @Test
  void settingsNavstreamOwnsCannotBePassedThrough() {
    assertThatThrownBy(() -> env(
            "NAVSTREAM_KAFKA_NUM_STREAM_THREADS", "4",
            "NAVSTREAM_KAFKA_ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING", "false"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "kafka.num.stream.threads (from environment NAVSTREAM_KAFKA_NUM_STREAM_THREADS):"
                + " set num.stream.threads instead")
        .hasMessageContaining("kafka.ensure.explicit.internal.resource.naming")
        .hasMessageContaining("topology needs it");
  }

  @Test
  void invalidKafkaValuesFailAtLoadNamingKeyAndLayer() throws IOException {
    Path f = file("kafka.commit.interval.ms=soon");

    assertThatThrownBy(() -> NavstreamConfig.load(f, NO_ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.commit.interval.ms (from file " + f + ")")
        .hasMessageContaining("soon");
  }

  @Test
  void unknownKafkaNamesPassThroughWithAWarning() {
    NavstreamConfig c = env("NAVSTREAM_KAFKA_LINGERR_MS", "5");

    assertThat(c.streamsProperties()).containsEntry("lingerr.ms", "5");
    assertThat(logs.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("kafka.lingerr.ms"));
  }

  // --- errors -----------------------------------------------------------------------------------

  @Test
  void unknownEnvironmentVariableIsRejectedByName() {
    assertThatThrownBy(() -> env("NAVSTREAM_TOPICS_PARTITONS", "12"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown environment variable NAVSTREAM_TOPICS_PARTITONS")
        .hasMessageContaining("did you mean NAVSTREAM_TOPICS_PARTITIONS?");
  }

  @Test
  void unknownFileKeyIsRejectedByName() throws IOException {
    Path f = file("topics.partiton=12", "kafka.linger.ms=5");

    assertThatThrownBy(() -> NavstreamConfig.load(f, NO_ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'topics.partiton' in config file " + f)
        .hasMessageContaining("did you mean topics.partitions?")
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(1));
  }

  @Test
  void badIntegerNamesKeyValueAndLayer() {
    assertThatThrownBy(() -> env("NAVSTREAM_TOPICS_PARTITIONS", "abc"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "topics.partitions=abc (from environment NAVSTREAM_TOPICS_PARTITIONS): not an integer");
  }

  @Test
  void badValuesInTheFileNameTheFile() throws IOException {
    Path f = file("topics.partitions=0", "topics.create=yes", "processing.guarantee=exactly_once");

    assertThatThrownBy(() -> NavstreamConfig.load(f, NO_ENV))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "processing.guarantee=exactly_once (from file " + f
                + "): must be one of [at_least_once, exactly_once_v2]",
            "topics.partitions=0 (from file " + f + "): must be at least 1",
            "topics.create=yes (from file " + f + "): not a boolean (true or false)"))
        .hasMessageStartingWith("3 configuration problems:");
  }

  @Test
  void crossKeyProblems() {
    assertThatThrownBy(() -> env(
            "NAVSTREAM_TOPICS_FUNDING_RATES", "prices",
            "NAVSTREAM_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "alice:pw",
            "NAVSTREAM_SCHEMA_REGISTRY_BEARER_TOKEN", "tok-XYZ",
            "NAVSTREAM_SCHEMA_REGISTRY_BACKOFF_MS", "5000",
            "NAVSTREAM_TOPICS_REPLICATION_FACTOR", "0",
            "NAVSTREAM_SCHEMA_REGISTRY_URL", "localhost:8081",
            "NAVSTREAM_APPLICATION_ID", "nav stream"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("topics.funding-rates=prices (from environment NAVSTREAM_TOPICS_FUNDING_RATES): the same topic as topics.prices")
        .hasMessageContaining("are both set")
        .hasMessageContaining("schema.registry.backoff.max.ms=2000 (from default): must be at least")
        .hasMessageContaining("topics.replication.factor=0")
        .hasMessageContaining("schema.registry.url=localhost:8081")
        .hasMessageContaining("application.id=nav stream")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("alice:pw").doesNotContain("tok-XYZ"));
  }

  @Test
  void missingConfigFileIsAnError() {
    Path missing = dir.resolve("nope.properties");

    assertThatThrownBy(() -> NavstreamConfig.load(missing, NO_ENV))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void secretsAreNotEchoedInErrors() {
    assertThatThrownBy(() -> env("NAVSTREAM_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "hunter2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.basic.auth.user.info=******")
        .hasMessageContaining("must be user:password")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  // --- outputs ----------------------------------------------------------------------------------

  @Test
  void describeListsEveryKeyWithItsSourceAndMasksSecrets() throws IOException {
    Path f = file(
        "schema.registry.url=https://registry.example",
        "schema.registry.bearer.token=s3cr3t-token",
        "kafka.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
            + " required username=\"nav\" password=\"p4ss\";",
        "kafka.ssl.truststore.password=trustme");

    String d =
        NavstreamConfig.load(f, Map.of("NAVSTREAM_BOOTSTRAP_SERVERS", "b:9092")).describe();

    assertThat(d)
        .doesNotContain("s3cr3t-token")
        .doesNotContain("p4ss")
        .doesNotContain("trustme")
        .containsPattern("schema\\.registry\\.bearer\\.token\\s+= \\*{6}  \\[file ")
        .containsPattern("kafka\\.sasl\\.jaas\\.config\\s+= \\*{6}")
        .containsPattern("kafka\\.ssl\\.truststore\\.password\\s+= \\*{6}")
        .containsPattern("bootstrap\\.servers\\s+= b:9092  \\[environment NAVSTREAM_BOOTSTRAP_SERVERS]")
        .containsPattern("topics\\.partitions\\s+= 6  \\[default]")
        .containsPattern("state\\.dir\\s+= \\(not set\\)");
    assertThat(d.lines()).hasSize(ConfigKeys.ALL.size() + 2);
  }

  @Test
  void streamsPropertiesCarryTheSafetyDefaultsAndTheTopologyRequirements() {
    NavstreamConfig c = env(
        "NAVSTREAM_BOOTSTRAP_SERVERS", "b:9092",
        "NAVSTREAM_TOPICS_DEAD_LETTER", "nav.dlq",
        "NAVSTREAM_NUM_STREAM_THREADS", "4");

    Properties p = c.streamsProperties();

    assertThat(p)
        .containsEntry("application.id", "navstream")
        .containsEntry("bootstrap.servers", "b:9092")
        .containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("producer.acks", "all")
        .containsEntry("replication.factor", "-1")
        .containsEntry("num.stream.threads", "4")
        .containsEntry("num.standby.replicas", "0")
        .containsEntry("max.task.idle.ms", "1000")
        .containsEntry("ensure.explicit.internal.resource.naming", true)
        .containsEntry("errors.dead.letter.queue.topic.name", "nav.dlq")
        .doesNotContainKey("commit.interval.ms")
        .doesNotContainKey("state.dir");
    assertThat(env("NAVSTREAM_STATE_DIR", "/var/lib/navstream").streamsProperties())
        .containsEntry("state.dir", "/var/lib/navstream");
  }

  @Test
  void registrySettingsFromConfig() {
    RegistrySettings r = env(
        "NAVSTREAM_SCHEMA_REGISTRY_URL", "https://registry.example:8081",
        "NAVSTREAM_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", "nav:pw",
        "NAVSTREAM_SCHEMA_REGISTRY_AUTO_REGISTER", "false",
        "NAVSTREAM_SCHEMA_REGISTRY_TIMEOUT_MS", "750",
        "NAVSTREAM_SCHEMA_REGISTRY_RETRIES", "0")
        .registrySettings();

    assertThat(r.url()).isEqualTo("https://registry.example:8081");
    assertThat(r.basicAuthUserInfo()).isEqualTo("nav:pw");
    assertThat(r.bearerToken()).isNull();
    assertThat(r.autoRegister()).isFalse();
    assertThat(r.connectTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(r.requestTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(r.maxRetries()).isZero();
    assertThat(r.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(r.maxBackoff()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void registrySettingsNeedAUrl() {
    assertThatThrownBy(() -> NavstreamConfig.load(null, NO_ENV).registrySettings())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url is not set")
        .hasMessageContaining("NAVSTREAM_SCHEMA_REGISTRY_URL");
  }

  @Test
  void environmentNamesAreUnique() {
    assertThat(ConfigKeys.ALL.stream().map(ConfigKey::envName).distinct().count())
        .isEqualTo(ConfigKeys.ALL.size());
    assertThat(ConfigKeys.BY_ENV_NAME.get("NAVSTREAM_TOPICS_FUND_DEFINITIONS").name())
        .isEqualTo("topics.fund-definitions");
  }
}
