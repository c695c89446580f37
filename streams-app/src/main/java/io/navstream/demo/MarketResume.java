package io.navstream.demo;

import io.navstream.avro.PriceTick;
import io.navstream.topology.Topics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the demo's market left off: the latest tick of each symbol already in the prices topic. A
 * restarted demo continues from there, because its simulated clock runs faster than the wall clock
 * and a simulator restarted "now" would be behind navstream's watermark (every tick late).
 *
 * @param lastEventTime the latest eventTime of any tick, or null when the topic is empty
 * @param lastPrices the latest price of each symbol seen
 */
record MarketResume(Instant lastEventTime, Map<String, BigDecimal> lastPrices) {
  /** How far back from the end of each partition to look for every symbol's last tick. */
  private static final long LOOK_BACK = 2_000;
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  static MarketResume empty() {
    return new MarketResume(null, Map.of());
  }

  boolean isEmpty() {
    return lastEventTime == null;
  }

  /** Reads the tail of every partition of the prices topic. */
  static MarketResume read(Consumer<String, byte[]> consumer, Topics topics) {
    String topic = topics.prices().name();
    List<PartitionInfo> infos = consumer.partitionsFor(topic, DEADLINE);
    if (infos == null || infos.isEmpty()) {
      return empty();
    }
    List<TopicPartition> partitions = infos.stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, DEADLINE);
    Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, DEADLINE);
    consumer.assign(partitions);
    Map<TopicPartition, Long> remaining = new HashMap<>();
    for (TopicPartition tp : partitions) {
      long end = ends.get(tp);
      long from = Math.max(begins.get(tp), end - LOOK_BACK);
      consumer.seek(tp, from);
      if (end > from) {
        remaining.put(tp, end);
      }
    }
    Map<String, BigDecimal> prices = new HashMap<>();
    Map<String, Instant> times = new HashMap<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!remaining.isEmpty() && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
        PriceTick tick = decode(topics, r);
        if (tick != null) {
          Instant previous = times.get(tick.getSymbol());
          if (previous == null || !tick.getEventTime().isBefore(previous)) {
            times.put(tick.getSymbol(), tick.getEventTime());
            prices.put(tick.getSymbol(), tick.getPrice());
          }
        }
      }
      remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
    }
    Optional<Instant> last = times.values().stream().max(Instant::compareTo);
    return new MarketResume(last.orElse(null), Map.copyOf(prices));
  }

  private static PriceTick decode(Topics topics, ConsumerRecord<String, byte[]> record) {
    try {
      return topics.prices().valueSerde().deserializer().deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      return null; // not a tick the demo wrote; navstream dead-letters it, the demo ignores it
    }
  }
}
