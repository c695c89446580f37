package io.navstream.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import io.navstream.topology.Topic;
import io.navstream.topology.Topics;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Drains everything the topology produced into the output files, so that the driver, which keeps
 * every produced record until it is read, stays small over millions of inputs. Topics without a
 * file (repartition topics, changelogs, anything new) are read and counted, then dropped.
 *
 * <p>Writing to files ({@link #toFiles}), the driver's thread only takes the records' bytes;
 * decoding them and writing JSON happens on a {@link WriterThread}, in the order the records were
 * produced, while the driver goes on. Counts and files are final once {@link #close} has returned.
 * A shard of a sharded replay ({@link #inline}) writes on its own thread instead, into lines it
 * holds in memory until they are merged.
 */
final class ReplayOutputs implements Closeable {
  static final String NAV_UPDATES_FILE = "nav-updates.jsonl";
  static final String REBALANCE_INSTRUCTIONS_FILE = "rebalance-instructions.jsonl";
  static final String FUND_STATE_FILE = "fund-state.jsonl";
  static final String DEAD_LETTER_FILE = "dead-letter.jsonl";
  static final String FLOW_RESULTS_FILE = "flow-results.jsonl";
  static final String CORPORATE_ACTIONS_FILE = "corporate-actions.jsonl";
  static final String PREMIUM_DISCOUNT_FILE = "premium-discount.jsonl";

  /** Every output file, in the order of the lines {@link #inline} takes. */
  static final List<String> FILES = List.of(NAV_UPDATES_FILE, REBALANCE_INSTRUCTIONS_FILE,
      FUND_STATE_FILE, DEAD_LETTER_FILE, FLOW_RESULTS_FILE, CORPORATE_ACTIONS_FILE,
      PREMIUM_DISCOUNT_FILE);

  /** Kafka's dead-letter header naming the topic of the rejected record. */
  static final String KAFKA_SOURCE_TOPIC_HEADER = "__streams.errors.topic";

  private interface Drain {
    void drain() throws IOException;
  }

  /** Runs or queues the write of one drained record into {@code target}, one of the lines. */
  interface Sink {
    void submit(JsonLines target, WriterThread.Write write) throws IOException;
  }

  private static final Deserializer<byte[]> RAW = Serdes.ByteArray().deserializer();

  private final TopologyTestDriver driver;
  private final DeadLetterValues deadLetterValues; // used on the writer thread only
  private final WireJson wireJson; // used on the writer thread only
  private final JsonLines navUpdates;
  private final JsonLines rebalanceInstructions;
  private final JsonLines fundState;
  private final JsonLines deadLetter;
  private final JsonLines flowResults;
  private final JsonLines corporateActions;
  private final JsonLines premiumDiscount;
  private final Map<String, Drain> drains = new HashMap<>();
  private final Map<String, long[]> otherTopics = new TreeMap<>();
  /** Null when writing inline. */
  private final WriterThread writer;
  private final Sink sink;

  /** Outputs written to the {@link #FILES} of {@code dir} on a writer thread. */
  static ReplayOutputs toFiles(TopologyTestDriver driver, Topics topics, Path dir,
      DeadLetterValues values) throws IOException {
    List<JsonLines> opened = new ArrayList<>();
    try {
      for (String file : FILES) {
        opened.add(new JsonLines(dir.resolve(file)));
      }
    } catch (IOException | RuntimeException e) {
      for (JsonLines file : opened) {
        try {
          file.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    WriterThread writer = new WriterThread("navstream-replay-writer");
    return new ReplayOutputs(driver, topics, opened, values, writer, (target, write) -> writer.submit(write));
  }

  /**
   * Outputs written on the caller's thread into {@code lines} (one per {@link #FILES}, in that
   * order), {@code sink} running each write.
   */
  static ReplayOutputs inline(TopologyTestDriver driver, Topics topics, List<JsonLines> lines,
      DeadLetterValues values, Sink sink) {
    return new ReplayOutputs(driver, topics, lines, values, null, sink);
  }

  private ReplayOutputs(TopologyTestDriver driver, Topics topics, List<JsonLines> lines,
      DeadLetterValues values, WriterThread writer, Sink sink) {
    this.driver = driver;
    this.deadLetterValues = values;
    this.wireJson = new WireJson(values.registry());
    this.navUpdates = lines.get(0);
    this.rebalanceInstructions = lines.get(1);
    this.fundState = lines.get(2);
    this.deadLetter = lines.get(3);
    this.flowResults = lines.get(4);
    this.corporateActions = lines.get(5);
    this.premiumDiscount = lines.get(6);
    this.writer = writer;
    this.sink = sink;
    drains.put(topics.navUpdates().name(), recordDrain(topics.navUpdates(), navUpdates));
    drains.put(
        topics.rebalanceInstructions().name(),
        recordDrain(topics.rebalanceInstructions(), rebalanceInstructions));
    drains.put(topics.fundState().name(), recordDrain(topics.fundState(), fundState));
    drains.put(topics.deadLetter().name(), deadLetterDrain(topics.deadLetter()));
    drains.put(topics.flowResults().name(), recordDrain(topics.flowResults(), flowResults));
    drains.put(topics.corporateActions().name(), recordDrain(topics.corporateActions(), corporateActions));
    drains.put(topics.premiumDiscount().name(), recordDrain(topics.premiumDiscount(), premiumDiscount));
  }

  /** Reads every record produced so far. */
  void drain() throws IOException {
    // Only topics that have produced: asking the driver about others makes it log every time.
    for (String topic : driver.producedTopicNames()) {
      Drain drain = drains.get(topic);
      if (drain == null) {
        drain = discardDrain(topic);
        drains.put(topic, drain);
      }
      drain.drain();
    }
  }

  /** Lines written to each of the {@link #FILES}, in that order. */
  List<Long> lines() {
    return List.of(navUpdates.lines(), rebalanceInstructions.lines(), fundState.lines(),
        deadLetter.lines(), flowResults.lines(), corporateActions.lines(), premiumDiscount.lines());
  }

  /** Records read from topics without an output file, by topic. */
  Map<String, Long> otherTopics() {
    Map<String, Long> counts = new TreeMap<>();
    otherTopics.forEach((topic, count) -> counts.put(topic, count[0]));
    return counts;
  }

  private <V extends SpecificRecord> Drain recordDrain(Topic<String, V> topic, JsonLines out) {
    String name = topic.name();
    TestOutputTopic<byte[], byte[]> records = driver.createOutputTopic(name, RAW, RAW);
    Deserializer<String> keys = topic.keySerde().deserializer();
    Deserializer<V> values = topic.valueSerde().deserializer();
    return () -> {
      while (!records.isEmpty()) {
        TestRecord<byte[], byte[]> raw = records.readRecord();
        sink.submit(out, () -> writeRecord(name, raw, keys, values, out, wireJson));
      }
    };
  }

  /** On the writer thread: straight from the bytes when it can, else decoded first. */
  private static <V extends SpecificRecord> void writeRecord(String topic,
      TestRecord<byte[], byte[]> raw, Deserializer<String> keys, Deserializer<V> values,
      JsonLines out, WireJson wireJson) throws IOException {
    if (wireJson.write(out, raw.value())) {
      return;
    }
    V value = values.deserialize(topic, raw.headers(), raw.value());
    if (value == null) {
      // A tombstone has no fields to show; keep the key so the deletion is visible.
      JsonGenerator json = out.generator();
      json.writeStartObject();
      json.writeStringField("key", keys.deserialize(topic, raw.headers(), raw.key()));
      json.writeBooleanField("tombstone", true);
      json.writeEndObject();
      out.endLine();
    } else {
      out.write(value);
    }
  }

  private Drain deadLetterDrain(Topic<String, byte[]> topic) {
    String name = topic.name();
    TestOutputTopic<byte[], byte[]> records = driver.createOutputTopic(name, RAW, RAW);
    Deserializer<String> keys = topic.keySerde().deserializer();
    Deserializer<byte[]> values = topic.valueSerde().deserializer();
    return () -> {
      while (!records.isEmpty()) {
        TestRecord<byte[], byte[]> raw = records.readRecord();
        sink.submit(deadLetter, () -> writeDeadLetter(new TestRecord<>(
            keys.deserialize(name, raw.headers(), raw.key()),
            values.deserialize(name, raw.headers(), raw.value()),
            raw.headers(), raw.timestamp())));
      }
    };
  }

  /**
   * {"key", "timestamp", "sourceTopic", "headers": {every header as a string}, "value": the
   * rejected value decoded, or "valueBase64" when it is not decodable Avro}.
   */
  private void writeDeadLetter(TestRecord<String, byte[]> record) throws IOException { // writer thread
    JsonGenerator json = deadLetter.generator();
    json.writeStartObject();
    json.writeStringField("key", record.key());
    json.writeStringField("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    json.writeStringField("sourceTopic", sourceTopic(record));
    json.writeObjectFieldStart("headers");
    for (Header header : record.headers()) {
      json.writeStringField(header.key(), text(header));
    }
    json.writeEndObject();
    DeadLetterValues.Decoded decoded = deadLetterValues.decode(record.value());
    if (decoded != null) {
      json.writeFieldName("value");
      AvroJson.write(json, decoded.schema(), decoded.value());
    } else if (record.value() == null) {
      json.writeNullField("value");
    } else {
      json.writeFieldName("valueBase64");
      json.writeBinary(record.value());
    }
    json.writeEndObject();
    deadLetter.endLine();
  }

  /**
   * The topic of the rejected record: Kafka's header, or one of navstream's own dead-letter headers
   * naming a topic ({@code navstream.dlq.*topic}).
   */
  private static String sourceTopic(TestRecord<?, ?> record) {
    for (Header header : record.headers()) {
      String name = header.key().toLowerCase(Locale.ROOT);
      if (header.key().equals(KAFKA_SOURCE_TOPIC_HEADER)
          || (name.startsWith("navstream.dlq.") && name.endsWith("topic"))) {
        return text(header);
      }
    }
    return null;
  }

  private static String text(Header header) {
    return header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private Drain discardDrain(String topic) {
    TestOutputTopic<byte[], byte[]> records = driver.createOutputTopic(topic, RAW, RAW);
    long[] count = otherTopics.computeIfAbsent(topic, t -> new long[1]);
    return () -> {
      while (!records.isEmpty()) {
        records.readRecord();
        count[0]++;
      }
    };
  }

  /** Writes what was drained, then closes the files. Idempotent. */
  @Override
  public void close() throws IOException {
    IOException failure = null;
    try {
      if (writer != null) {
        writer.close(); // before the files: it may still be writing to them
      }
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException | Error e) {
      closeFiles(e);
      throw e;
    }
    closeFiles(failure);
    if (failure != null) {
      throw failure;
    }
  }

  private <T extends Throwable> void closeFiles(T pending) throws IOException {
    try {
      Closing.closeAll(List.of(navUpdates, rebalanceInstructions, fundState, deadLetter, flowResults,
          corporateActions, premiumDiscount));
    } catch (IOException e) {
      if (pending == null) {
        throw e;
      }
      pending.addSuppressed(e);
    }
  }
}
