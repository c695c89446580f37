package io.navstream.replay;

import io.navstream.topology.Topic;
import io.navstream.topology.Topics;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The input topics of one {@link TopologyTestDriver}, one per {@link ReplayEvent.Kind}, each made
 * on first use: only kinds the topology reads are piped ({@link InputCounts}). The single driver
 * lets the driver number its inputs; a shard ({@link ReplayShard}) gives each input the offset the
 * single driver gives it. Inputs go through a {@link DirectPipe} when the driver allows one, else
 * through the driver's {@link TestInputTopic}s.
 */
final class DriverInputs {
  private final TopologyTestDriver driver;
  private final Topics topics;
  /** Null when the driver numbers the inputs itself. */
  private final InputOffsets offsets;
  /** Null when inputs are piped the public way. */
  private final DirectPipe direct;
  private final Input<?>[] byKind = new Input<?>[ReplayEvent.Kind.values().length];

  /**
   * Inputs numbered by the driver as they come ({@code offsets} null), or by the caller ({@link
   * #pipe(ReplayEvent, long)}); through a {@link DirectPipe} committing every {@code
   * commitEvery} records when the driver allows one, through its own pipe when 0.
   */
  DriverInputs(TopologyTestDriver driver, Topics topics, InputOffsets offsets, int commitEvery) {
    this.driver = driver;
    this.topics = topics;
    this.offsets = offsets;
    this.direct = commitEvery == 0 ? null : DirectPipe.of(driver, commitEvery);
  }

  /** The topic an input of {@code kind} is piped to. */
  static Topic<String, ? extends SpecificRecord> topicOf(ReplayEvent.Kind kind, Topics topics) {
    return switch (kind) {
      case DEFINITION -> topics.fundDefinitions();
      case FUNDING -> topics.fundingRates();
      case PRICE -> topics.prices();
      case COMMAND -> topics.fundCommands();
      case FLOW -> topics.fundFlows();
      case TOKEN_PRICE -> topics.tokenPrices();
    };
  }

  /** Pipes {@code e} at its timestamp with the driver's next offset of its topic. */
  void pipe(ReplayEvent e) {
    input(e.kind()).pipe(e);
  }

  /** Pipes {@code e} at its timestamp with offset {@code topicOffset} in its topic. */
  void pipe(ReplayEvent e, long topicOffset) {
    Input<?> input = input(e.kind());
    input.offset.set(topicOffset);
    input.pipe(e);
  }

  private Input<?> input(ReplayEvent.Kind kind) {
    Input<?> input = byKind[kind.ordinal()];
    if (input == null) {
      input = new Input<>(driver, direct, topicOf(kind, topics), offsets);
      byKind[kind.ordinal()] = input;
    }
    return input;
  }

  /** One input topic of the driver. */
  private static final class Input<V extends SpecificRecord> {
    private final String name;
    private final Serializer<String> keys;
    private final Serializer<V> values;
    /** Null when {@link #direct} is used. */
    private final TestInputTopic<String, V> topic;
    private final DirectPipe direct;
    /** The driver's counter of the topic's next offset; null unless the caller numbers. */
    private final AtomicLong offset;

    Input(TopologyTestDriver driver, DirectPipe direct, Topic<String, V> topic, InputOffsets offsets) {
      this.name = topic.name();
      this.keys = topic.keySerde().serializer();
      this.values = topic.valueSerde().serializer();
      this.direct = direct;
      this.topic = direct == null ? driver.createInputTopic(name, keys, values) : null;
      this.offset = offsets == null ? null : offsets.of(topic.name());
    }

    @SuppressWarnings("unchecked") // events of a kind carry that kind's value class
    void pipe(ReplayEvent e) {
      if (direct == null) {
        topic.pipeInput(e.key(), (V) e.value(), e.timestamp());
        return;
      }
      // Serialized as the driver's own pipeInput serializes, headers and all.
      Headers headers = new RecordHeaders();
      byte[] key = keys.serialize(name, headers, e.key());
      byte[] value = values.serialize(name, headers, (V) e.value());
      direct.pipe(name, e.timestamp(), key, value, headers);
    }
  }
}
