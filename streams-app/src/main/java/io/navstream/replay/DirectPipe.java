package io.navstream.replay;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.internals.StreamsConfigUtils;
import org.apache.kafka.streams.processor.internals.StreamTask;

/**
 * Pipes records into a {@link TopologyTestDriver}'s task the way the driver's own {@code
 * pipeInput} does (same offsets, same processing order, every produced record re-fed to the
 * topology when a source reads its topic, outputs queued where {@link
 * org.apache.kafka.streams.TestOutputTopic} reads them), minus the two costs that made a long
 * replay slow:
 *
 * <ul>
 *   <li>the driver compiles a regular expression per source topic for every record it pipes and
 *       for every record the topology produces ({@code validateSourceTopicNameRegexPattern}),
 *       about a fifth of a replay's time: here each topic is resolved, and so checked, once;
 *   <li>the driver commits, flushing every store, after every record it processes: here the task
 *       commits every {@value #COMMIT_EVERY} records by default, as a live instance commits on an
 *       interval.
 * </ul>
 *
 * <p>When the task commits changes no output: navstream's stores never forward on flush (they are
 * processor-API stores, and the versioned NAV history has no cache), so replaying through this
 * pipe or through {@code pipeInput} writes the same files byte for byte, which {@code
 * DirectPipeTest} pins. The driver has no API for any of this: its task, producer, offsets and
 * output queues are reached by reflection (Kafka 4.3's field names). {@link #of} returns null when
 * they are not there, or when the driver runs exactly-once (whose mock producer shows records only
 * once committed) or has global stores; the caller then pipes the public way.
 */
final class DirectPipe {
  /** Records processed between two commits of the task, by default. */
  static final int COMMIT_EVERY = 10_000;

  private final TopologyTestDriver driver;
  private final StreamTask task;
  private final MockProducer<byte[], byte[]> producer;
  private final Time clock;
  private final Map<TopicPartition, AtomicLong> offsets;
  private final Map<String, Queue<ProducerRecord<byte[], byte[]>>> outputs;
  /** The driver's {@code getInputTopicOrPatternPartition}: resolves a topic, with the regex check. */
  private final Method resolve;
  /** The driver's {@code commit(Map)}: commits the consumed offsets to its mock consumer. */
  private final Method commit;
  /** Each topic resolved once: its input partition, or empty when no source reads it. */
  private final Map<String, Optional<TopicPartition>> partitions = new HashMap<>();
  private final int commitEvery;
  private int uncommitted;

  private DirectPipe(TopologyTestDriver driver, StreamTask task, MockProducer<byte[], byte[]> producer,
      Time clock, Map<TopicPartition, AtomicLong> offsets,
      Map<String, Queue<ProducerRecord<byte[], byte[]>>> outputs, Method resolve, Method commit,
      int commitEvery) {
    this.driver = driver;
    this.task = task;
    this.producer = producer;
    this.clock = clock;
    this.offsets = offsets;
    this.outputs = outputs;
    this.resolve = resolve;
    this.commit = commit;
    this.commitEvery = commitEvery;
  }

  /**
   * A pipe into {@code driver} that commits every {@code commitEvery} records processed, or null
   * when the driver must be fed the public way (see above).
   */
  @SuppressWarnings("unchecked") // the driver's own field types
  static DirectPipe of(TopologyTestDriver driver, int commitEvery) {
    if (commitEvery < 1) {
      throw new IllegalArgumentException("commitEvery must be >= 1, was " + commitEvery);
    }
    try {
      StreamTask task = (StreamTask) DriverInternals.field(driver, "task");
      Map<String, ?> globalInputs = (Map<String, ?>) DriverInternals.field(driver, "globalPartitionsByInputTopic");
      Object mode = DriverInternals.field(driver, "processingMode");
      if (task == null || !globalInputs.isEmpty()
          || mode != StreamsConfigUtils.ProcessingMode.AT_LEAST_ONCE) {
        return null;
      }
      Method resolve = DriverInternals.method("getInputTopicOrPatternPartition", String.class);
      Method commit = DriverInternals.method("commit", Map.class);
      return new DirectPipe(driver, task,
          (MockProducer<byte[], byte[]>) DriverInternals.field(driver, "producer"),
          (Time) DriverInternals.field(driver, "mockWallClockTime"),
          (Map<TopicPartition, AtomicLong>) DriverInternals.field(driver, "offsetsByTopicOrPatternPartition"),
          (Map<String, Queue<ProducerRecord<byte[], byte[]>>>) DriverInternals.field(driver, "outputRecordsByTopic"),
          resolve, commit, commitEvery);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Enqueues one record at the next offset of {@code topic} and processes everything it leads to,
   * records the topology produces to its own source topics included.
   *
   * @throws IllegalArgumentException when no source of the topology reads {@code topic}
   */
  void pipe(String topic, long timestamp, byte[] key, byte[] value, Headers headers) {
    TopicPartition partition = partition(topic);
    if (partition == null) {
      throw new IllegalArgumentException("Unknown topic: " + topic);
    }
    enqueue(topic, partition, timestamp, key, value, headers);
    processAll();
  }

  /** Commits the task now: flushes its stores and caches, and commits its offsets. */
  void commit() {
    invoke(commit, task.prepareCommit(true));
    task.postCommit(true);
    uncommitted = 0;
  }

  private void processAll() {
    captureOutputs();
    task.resumePollingForPartitionsWithAvailableSpace();
    task.updateLags();
    long now = clock.milliseconds();
    while (task.hasRecordsQueued() && task.isProcessable(now)) {
      task.process(now);
      task.maybePunctuateStreamTime();
      captureOutputs();
      if (++uncommitted >= commitEvery) {
        commit();
      }
    }
  }

  /** Queues what the topology produced for the output topics, and re-feeds what it reads itself. */
  private void captureOutputs() {
    List<ProducerRecord<byte[], byte[]>> produced = producer.history();
    if (produced.isEmpty()) {
      return;
    }
    producer.clear();
    for (ProducerRecord<byte[], byte[]> record : produced) {
      String topic = record.topic();
      outputs.computeIfAbsent(topic, t -> new LinkedList<>()).add(record);
      TopicPartition partition = partition(topic);
      if (partition != null) {
        enqueue(topic, partition, record.timestamp(), record.key(), record.value(), record.headers());
      }
    }
  }

  private TopicPartition partition(String topic) {
    Optional<TopicPartition> partition = partitions.get(topic);
    if (partition == null) {
      partition = Optional.ofNullable((TopicPartition) invoke(resolve, topic));
      partitions.put(topic, partition);
    }
    return partition.orElse(null);
  }

  private void enqueue(String topic, TopicPartition partition, long timestamp, byte[] key,
      byte[] value, Headers headers) {
    long offset = offsets.get(partition).getAndIncrement();
    task.addRecords(partition, Collections.singleton(new ConsumerRecord<>(topic,
        partition.partition(), offset, timestamp, TimestampType.CREATE_TIME,
        key == null ? ConsumerRecord.NULL_SIZE : key.length,
        value == null ? ConsumerRecord.NULL_SIZE : value.length,
        key, value, headers, Optional.empty())));
  }

  private Object invoke(Method method, Object argument) {
    try {
      return method.invoke(driver, argument);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}
