package io.navstream.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks {@code kafka.*} pass-through settings against the definitions of this Kafka version, so that
 * a bad value fails at load with the key's navstream name and source instead of deep inside
 * KafkaStreams, and a misspelt name is at least reported.
 */
final class KafkaSettings {

  /** What is known about one pass-through setting. */
  enum Status {
    VALID,
    INVALID,
    UNKNOWN
  }

  record Check(Status status, String message) {}

  private final ConfigDef streams = StreamsConfig.configDef();
  private final ConfigDef producer = ProducerConfig.configDef();
  private final ConfigDef consumer = ConsumerConfig.configDef();
  private final ConfigDef admin = AdminClientConfig.configDef();
  private final Map<String, List<ConfigDef>> byPrefix =
      Map.of(
          StreamsConfig.PRODUCER_PREFIX, List.of(producer),
          StreamsConfig.CONSUMER_PREFIX, List.of(consumer),
          StreamsConfig.MAIN_CONSUMER_PREFIX, List.of(consumer),
          StreamsConfig.RESTORE_CONSUMER_PREFIX, List.of(consumer),
          StreamsConfig.GLOBAL_CONSUMER_PREFIX, List.of(consumer),
          StreamsConfig.ADMIN_CLIENT_PREFIX, List.of(admin));

  /**
   * @param name the Kafka Streams config name (without {@code kafka.})
   * @param value its value as written
   */
  Check check(String name, String value) {
    if (name.startsWith(StreamsConfig.TOPIC_PREFIX)
        || name.startsWith(StreamsConfig.CLIENT_TAG_PREFIX)) {
      // Topic configs are validated by the broker; client tags are free-form.
      return new Check(Status.VALID, "");
    }
    String bare = name;
    // Unprefixed client settings reach every client Kafka Streams creates.
    List<ConfigDef> defs = List.of(streams, producer, consumer, admin);
    for (Map.Entry<String, List<ConfigDef>> e : byPrefix.entrySet()) {
      // The prefixes are disjoint (main.consumer. does not start with consumer.).
      if (name.startsWith(e.getKey())) {
        bare = name.substring(e.getKey().length());
        defs = e.getValue();
        break;
      }
    }
    String lookup = bare;
    Optional<ConfigDef.ConfigKey> key =
        defs.stream().map(d -> d.configKeys().get(lookup)).filter(k -> k != null).findFirst();
    if (key.isEmpty()) {
      return new Check(Status.UNKNOWN, "");
    }
    try {
      Object parsed = ConfigDef.parseType(bare, value, key.get().type);
      if (key.get().validator != null) {
        key.get().validator.ensureValid(bare, parsed);
      }
      return new Check(Status.VALID, "");
    } catch (org.apache.kafka.common.config.ConfigException | IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      if (ConfigKey.isSecretKey(name) && !value.isEmpty()) {
        message = message.replace(value, NavstreamConfig.MASK);
      }
      return new Check(Status.INVALID, message);
    }
  }
}
