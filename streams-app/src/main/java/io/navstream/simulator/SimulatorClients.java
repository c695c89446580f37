package io.navstream.simulator;

import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka client settings of the simulator, derived from navstream's configuration so that the
 * {@code kafka.*} pass-through settings (security above all) reach its clients as they reach the
 * streams': unprefixed settings the client knows, then the client's prefixed ones ({@code
 * kafka.producer.*}, {@code kafka.admin.*}), which win.
 */
public final class SimulatorClients {
  public static final String CLIENT_ID = "navstream-simulator";

  /** Small batches: ticks are few per second, so latency matters more than throughput. */
  static final String DEFAULT_LINGER_MS = "5";

  private SimulatorClients() {}

  /**
   * Producer settings for {@code new KafkaProducer<>(props, new StringSerializer(), new
   * ByteArraySerializer())}: acks=all and idempotence always, linger.ms 5 unless configured, and
   * Kafka's default partitioner (murmur2 of the key) whatever is configured, because navstream
   * co-partitions ticks with fund definitions it repartitions with that same partitioner.
   *
   * @throws IllegalArgumentException when {@code bootstrap.servers} is not set
   */
  public static Properties producerProperties(NavstreamConfig config) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    settings.put(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
    settings.putAll(passThrough(config, ProducerConfig.configNames(), StreamsConfig.PRODUCER_PREFIX));
    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(config));
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    settings.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "false");
    settings.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
    // Serializers are passed to the constructor; a transactional id would demand transactions.
    settings.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
    settings.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
    settings.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    Properties props = new Properties();
    props.putAll(settings);
    return props;
  }

  /** Admin settings for checking and creating navstream's topics. */
  public static Map<String, Object> adminConfig(NavstreamConfig config) {
    Map<String, Object> settings = new HashMap<>();
    settings.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID + "-admin");
    settings.putAll(
        passThrough(config, AdminClientConfig.configNames(), StreamsConfig.ADMIN_CLIENT_PREFIX));
    settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(config));
    return settings;
  }

  private static Map<String, String> passThrough(
      NavstreamConfig config, Set<String> clientSettings, String prefix) {
    Map<String, String> unprefixed = new HashMap<>();
    Map<String, String> prefixed = new HashMap<>();
    config.kafkaSettings().forEach((name, value) -> {
      if (name.startsWith(prefix)) {
        prefixed.put(name.substring(prefix.length()), value);
      } else if (clientSettings.contains(name)) {
        unprefixed.put(name, value);
      }
    });
    unprefixed.putAll(prefixed);
    return unprefixed;
  }

  private static String bootstrapServers(NavstreamConfig config) {
    return config.bootstrapServers().orElseThrow(() -> new IllegalArgumentException(
        ConfigKeys.BOOTSTRAP_SERVERS + " is not set"));
  }
}
