package io.navstream.replay;

import io.navstream.topology.Topic;
import io.navstream.topology.Topics;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The input topics of one {@link TopologyTestDriver}, one per {@link ReplayEvent.Kind}, each made
 * on first use: only kinds the topology reads are piped ({@link InputCounts}). The single driver
 * lets the driver number its inputs; a shard ({@link ReplayShard}) gives each input the offset the
 * single driver gives it.
 */
final class DriverInputs {
  private final TopologyTestDriver driver;
  private final Topics topics;
  /** Null when the driver numbers the inputs itself. */
  private final InputOffsets offsets;
  private final Input<?>[] byKind = new Input<?>[ReplayEvent.Kind.values().length];

  /** Inputs numbered by the driver, as they come. */
  DriverInputs(TopologyTestDriver driver, Topics topics) {
    this(driver, topics, null);
  }

  /** Inputs numbered by the caller ({@link #pipe(ReplayEvent, long)}). */
  DriverInputs(TopologyTestDriver driver, Topics topics, InputOffsets offsets) {
    this.driver = driver;
    this.topics = topics;
    this.offsets = offsets;
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
      input = new Input<>(driver, topicOf(kind, topics), offsets);
      byKind[kind.ordinal()] = input;
    }
    return input;
  }

  /** One input topic of the driver. */
  private static final class Input<V extends SpecificRecord> {
    private final TestInputTopic<String, V> topic;
    /** The driver's counter of the topic's next offset; null unless the caller numbers. */
    private final AtomicLong offset;

    Input(TopologyTestDriver driver, Topic<String, V> topic, InputOffsets offsets) {
      this.topic = driver.createInputTopic(topic.name(), topic.keySerde().serializer(),
          topic.valueSerde().serializer());
      this.offset = offsets == null ? null : offsets.of(topic.name());
    }

    @SuppressWarnings("unchecked") // events of a kind carry that kind's value class
    void pipe(ReplayEvent e) {
      topic.pipeInput(e.key(), (V) e.value(), e.timestamp());
    }
  }
}
