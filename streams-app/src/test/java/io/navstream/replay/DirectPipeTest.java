package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

/** The pipe's own contract; that replays through it write the driver's bytes is ShardedReplayTest's. */
class DirectPipeTest {
  /** in → "seen:" + value → mid; mid → upper case → out: the topology re-reads what it writes. */
  private static Topology loop() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in-source"))
        .mapValues(v -> "seen:" + v, Named.as("seen"))
        .to("mid", Produced.<String, String>as("mid-sink").withKeySerde(Serdes.String())
            .withValueSerde(Serdes.String()));
    builder.stream("mid", Consumed.with(Serdes.String(), Serdes.String()).withName("mid-source"))
        .mapValues(v -> v.toUpperCase(java.util.Locale.ROOT), Named.as("upper"))
        .to("out", Produced.<String, String>as("out-sink").withKeySerde(Serdes.String())
            .withValueSerde(Serdes.String()));
    return builder.build();
  }

  private static Properties config(String guarantee) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "direct-pipe-test");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    return props;
  }

  private static void pipe(DirectPipe pipe, String topic, String key, String value, long time) {
    pipe.pipe(topic, time, key.getBytes(StandardCharsets.UTF_8),
        value.getBytes(StandardCharsets.UTF_8), new RecordHeaders());
  }

  @Test
  void feedsBackWhatTheTopologyWritesToItsOwnSourcesBeforeTheNextInput() {
    try (TopologyTestDriver driver = new TopologyTestDriver(loop(), config(StreamsConfig.AT_LEAST_ONCE))) {
      DirectPipe pipe = DirectPipe.of(driver, 2);
      assertThat(pipe).isNotNull();
      pipe(pipe, "in", "k1", "a", 1);
      pipe(pipe, "in", "k2", "b", 2);
      pipe(pipe, "in", "k3", "c", 3);
      var out = driver.createOutputTopic("out", Serdes.String().deserializer(),
          Serdes.String().deserializer());
      assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("k1", "SEEN:A"),
          KeyValue.pair("k2", "SEEN:B"), KeyValue.pair("k3", "SEEN:C"));
      var records = driver.createOutputTopic("mid", Serdes.String().deserializer(),
          Serdes.String().deserializer()).readRecordsToList();
      assertThat(records).extracting(r -> r.timestamp()).containsExactly(1L, 2L, 3L);
      pipe.commit(); // nothing left to flush: a no-op that must not fail
    }
  }

  @Test
  void refusesATopicNoSourceReads() {
    try (TopologyTestDriver driver = new TopologyTestDriver(loop(), config(StreamsConfig.AT_LEAST_ONCE))) {
      DirectPipe pipe = DirectPipe.of(driver, 10);
      assertThatThrownBy(() -> pipe(pipe, "out", "k", "v", 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Unknown topic: out");
    }
  }

  /** Exactly-once's mock producer shows records only once committed: the pipe stands aside. */
  @Test
  void standsAsideUnderExactlyOnce() {
    try (TopologyTestDriver driver = new TopologyTestDriver(loop(), config(StreamsConfig.EXACTLY_ONCE_V2))) {
      assertThat(DirectPipe.of(driver, 10)).isNull();
    }
    assertThatThrownBy(() -> DirectPipe.of(null, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
