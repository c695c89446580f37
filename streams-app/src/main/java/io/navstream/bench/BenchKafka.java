package io.navstream.bench;

import io.navstream.app.TopicProvisioner;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import io.navstream.embedded.EmbeddedKafka;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.InMemorySchemaRegistry;
import io.navstream.serde.SchemaRegistries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The in-process broker and schema registry a benchmark runs against, plus the clients the
 * harness itself needs: topic admin, a fast pre-loading producer and offset probes. The registry is
 * {@link InMemorySchemaRegistry}, shared by the apps and the harness, so no registry round trip
 * (or child JVM) adds noise. One per bench command.
 */
final class BenchKafka implements AutoCloseable {
  /** How often a drain or a condition is re-checked. */
  static final Duration POLL = Duration.ofMillis(20);

  private final Path workDir;
  private final EmbeddedKafka kafka;
  private final Admin admin;
  private final InMemorySchemaRegistry registry = SchemaRegistries.inMemory();
  private final AvroSerdes avro = new AvroSerdes(registry, true);

  private BenchKafka(Path workDir, EmbeddedKafka kafka) {
    this.workDir = workDir;
    this.kafka = kafka;
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        AdminClientConfig.CLIENT_ID_CONFIG, "navstream-bench-admin"));
  }

  static BenchKafka start(Path workDir) {
    return new BenchKafka(workDir, EmbeddedKafka.start(workDir.resolve("kafka")));
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  AvroSerdes avro() {
    return avro;
  }

  Path workDir() {
    return workDir;
  }

  Admin admin() {
    return admin;
  }

  void createTopics(Collection<String> names, int partitions) {
    List<NewTopic> topics = names.stream()
        .map(n -> new NewTopic(n, partitions, (short) 1)).toList();
    get(admin.createTopics(topics).all(), "create topics " + names);
    new TopicProvisioner(admin, Duration.ofSeconds(60))
        .awaitLeaders(names.stream().collect(Collectors.toMap(n -> n, n -> partitions)));
  }

  /** Deletes every topic whose name starts with {@code prefix} (a run's topics, internal ones too). */
  void deleteTopicsStartingWith(String prefix) {
    var names = get(admin.listTopics().names(), "list topics").stream()
        .filter(n -> n.startsWith(prefix)).toList();
    if (!names.isEmpty()) {
      get(admin.deleteTopics(names).all(), "delete topics");
    }
  }

  /** Fast idempotent producer (acks=all), batching hard: it is the harness, not the measured app. */
  KafkaProducer<String, Object> preloadProducer() {
    return producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024));
  }

  /** A producer for paced sends: no linger, acks=all, idempotent. */
  KafkaProducer<String, Object> pacedProducer() {
    return producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 0));
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // one Avro serializer for any SpecificRecord value
  private KafkaProducer<String, Object> producer(Map<String, Object> extra) {
    Map<String, Object> p = new HashMap<>(extra);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "navstream-bench-producer");
    return new KafkaProducer<>(p, new StringSerializer(), (org.apache.kafka.common.serialization.Serializer)
        avro.anyValueSerializer());
  }

  /** Writes the definitions, keyed by fund id, and waits until they are acknowledged. */
  void produceDefinitions(String topic, List<FundDefinition> definitions) {
    try (KafkaProducer<String, Object> producer = preloadProducer()) {
      for (FundDefinition d : definitions) {
        producer.send(new ProducerRecord<>(topic, null,
            d.getEffectiveTime().toEpochMilli(), d.getFundId(), d));
      }
      producer.flush();
    }
  }

  /** Pre-loads {@code count} ticks, keyed by symbol, and waits until all are acknowledged. */
  void preloadTicks(String topic, Workload.Ticks ticks, long count, LongConsumer progress) {
    try (KafkaProducer<String, Object> producer = preloadProducer()) {
      for (long i = 0; i < count; i++) {
        PriceTick t = ticks.next();
        producer.send(new ProducerRecord<>(topic, null, t.getEventTime().toEpochMilli(),
            t.getSymbol(), t), (m, e) -> {
              if (e != null) {
                throw new IllegalStateException("pre-loading ticks failed", e);
              }
            });
        if ((i & 0xFFFF) == 0) {
          progress.accept(i);
        }
      }
      producer.flush();
      progress.accept(count);
    }
  }

  /** The end offsets of a topic's partitions (the log end; under transactions markers included). */
  Map<TopicPartition, Long> endOffsets(String topic) {
    var partitions = get(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic)
        .get(topic).partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    Map<TopicPartition, OffsetSpec> query = partitions.stream()
        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
        get(admin.listOffsets(query).all(), "list offsets of " + topic);
    return result.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  long endOffsetSum(String topic) {
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The sum of {@code group}'s committed offsets on {@code topic}'s partitions. */
  long committedSum(String group, String topic) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(), "offsets of " + group);
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset()).sum();
  }

  /** A read_committed consumer of raw bytes, not in a group; the caller assigns partitions. */
  KafkaConsumer<String, byte[]> committedReader() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    return new KafkaConsumer<>(p, new org.apache.kafka.common.serialization.StringDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Counts the committed records of a topic until there are {@code expected}, or times out. */
  long awaitCommittedRecords(String topic, long expected, Duration timeout) {
    try (KafkaConsumer<String, byte[]> reader = committedReader()) {
      var partitions = reader.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      long count = 0;
      while (count < expected) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out after " + timeout + " waiting for " + expected
              + " records on " + topic + "; saw " + count);
        }
        count += reader.poll(Duration.ofMillis(100)).count();
      }
      return count;
    }
  }

  /**
   * Polls {@code done} every {@link #POLL} until it holds; reports progress meanwhile.
   *
   * @throws IllegalStateException on timeout, naming {@code what}
   */
  static void await(String what, Duration timeout, BooleanSupplier done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for " + what);
      }
      // A bounded wait for the next probe of a condition, not a synchronisation by sleeping.
      java.util.concurrent.locks.LockSupport.parkNanos(POLL.toNanos());
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what);
      }
    }
  }

  static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      return future.get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  static long directorySize(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (IOException e) {
          return 0; // deleted meanwhile
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    kafka.close();
    deleteRecursively(workDir);
  }
}
