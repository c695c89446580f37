package io.navstream.topology;

import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** PLACEHOLDER: the topology builder. Pure: settings and topics in, Topology out. */
public final class NavTopology {
  private NavTopology() {}

  public static Topology build(TopologySettings settings, Topics topics) {
    return new StreamsBuilder().build();
  }

  /**
   * Streams settings the topology relies on, whatever runs it ({@code run}, {@code replay}, tests):
   * explicit naming of internal resources and the dead-letter handlers. Callers layer these over
   * their own settings.
   */
  public static Map<String, Object> requiredStreamsConfig(TopicNames names) {
    return Map.of(
        StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true,
        StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, names.deadLetter());
  }
}
