package io.navstream.replay;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Sets the offset the next record piped into a {@link TopologyTestDriver} topic gets. A shard sees
 * only some of each input topic's records, so its driver would number them differently from the
 * single driver; and offsets are visible in the outputs (a dead letter names its source offset).
 * The driver has no API for this: its per-partition counters are read by reflection (Kafka 4.3's
 * {@code offsetsByTopicOrPatternPartition}, whose next offset is the counter's value).
 */
final class InputOffsets {
  private static final String FIELD = "offsetsByTopicOrPatternPartition";
  private final Map<TopicPartition, AtomicLong> counters;

  @SuppressWarnings("unchecked") // the driver's own field type
  InputOffsets(TopologyTestDriver driver) {
    try {
      this.counters = (Map<TopicPartition, AtomicLong>) DriverInternals.field(driver, FIELD);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("A sharded replay needs TopologyTestDriver's " + FIELD
          + " (Kafka 4.3); replay with --threads 1 instead", e);
    }
  }

  /** The counter of {@code topic}'s only partition, whose value is the next record's offset. */
  AtomicLong of(String topic) {
    AtomicLong counter = counters.get(new TopicPartition(topic, 0));
    if (counter == null) {
      throw new IllegalStateException("The driver has no input topic " + topic);
    }
    return counter;
  }
}
