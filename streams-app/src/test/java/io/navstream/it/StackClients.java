package io.navstream.it;

import io.navstream.app.TopicProvisioner;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.RegistrySettings;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The clients an integration test needs against one {@link ItEnvironment}: an admin client, the
 * registry through navstream's own HTTP client and serdes, producers of navstream's inputs, and
 * read_committed consumers of its outputs. Also builds the navstream configuration pointing at the
 * environment.
 */
final class StackClients implements AutoCloseable {
  static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(90);

  private final ItEnvironment env;
  private final SchemaRegistry registry;
  private final AvroSerdes serdes;
  private final Admin admin;

  StackClients(ItEnvironment env) {
    this.env = env;
    this.registry = SchemaRegistries.connect(RegistrySettings.of(env.registryUrl()));
    this.serdes = new AvroSerdes(registry, true);
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers()));
  }

  /** A name no other test uses: {@code <prefix>-<random>}, legal as a topic or application id. */
  static String uniqueName(String prefix) {
    String clean = prefix.replaceAll("[^a-zA-Z0-9._-]", "-").toLowerCase(Locale.ROOT);
    return clean + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Every topic name, under one unique prefix: shared default names would make tests meet on one
   * topic, and co-partitioned topics (fund-commands and fund-flows with fund-definitions,
   * token-prices with nav-updates) must be created with their own test's partition count.
   */
  static TopicNames uniqueTopics(String prefix) {
    String p = uniqueName(prefix);
    return TopicNames.prefixed(p + ".");
  }

  /** The topic registry over the real schema registry. */
  Topics topics(TopicNames names) {
    return new Topics(names, serdes);
  }

  /** Creates navstream's seven topics as navstream itself would (compaction included). */
  void createTopics(TopicNames names, int partitions) {
    new TopicProvisioner(admin, Duration.ofSeconds(30))
        .provision(names, partitions, (short) 1, true);
  }

  /**
   * navstream settings (property keys) for an instance on this environment: unique application
   * id and topics given by the caller, a private state directory, 2+ partitions, commits every
   * 100 ms so tests see outputs quickly.
   */
  Map<String, String> settings(String applicationId, TopicNames names, int partitions, Path stateDir) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(ConfigKeys.APPLICATION_ID, applicationId);
    s.put(ConfigKeys.BOOTSTRAP_SERVERS, env.bootstrapServers());
    s.put(ConfigKeys.REGISTRY_URL, env.registryUrl());
    s.put(ConfigKeys.STATE_DIR, stateDir.toString());
    s.put(ConfigKeys.TOPICS_PARTITIONS, String.valueOf(partitions));
    s.putAll(ConfigKeys.topicSettings(names));
    s.put(ConfigKeys.KAFKA_PREFIX + "commit.interval.ms", "100");
    return s;
  }

  /** {@link #settings} loaded the way `run` loads them, through NAVSTREAM_* variables. */
  NavstreamConfig config(String applicationId, TopicNames names, int partitions, Path stateDir) {
    return config(settings(applicationId, names, partitions, stateDir));
  }

  static NavstreamConfig config(Map<String, String> settings) {
    Map<String, String> env = new LinkedHashMap<>();
    settings.forEach((key, value) -> env.put(envName(key), value));
    return NavstreamConfig.load(null, env);
  }

  /** NAVSTREAM_ + the key upper-cased with '.' and '-' as '_' (kafka.x.y: NAVSTREAM_KAFKA_X_Y). */
  static String envName(String key) {
    return "NAVSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  KafkaProducer<String, byte[]> newProducer() {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5),
        new StringSerializer(), new ByteArraySerializer());
  }

  /** The record navstream would read for {@code input}, serialized over the real registry. */
  static ProducerRecord<String, byte[]> record(Topics topics, Input input) {
    long timestamp = input.timestamp().toEpochMilli();
    if (input instanceof Input.Definition d) {
      String topic = topics.fundDefinitions().name();
      return new ProducerRecord<>(topic, null, timestamp, d.key(),
          topics.fundDefinitions().valueSerde().serializer().serialize(topic, d.value()));
    }
    if (input instanceof Input.Retirement r) {
      return new ProducerRecord<String, byte[]>(
          topics.fundDefinitions().name(), null, timestamp, r.key(), (byte[]) null);
    }
    if (input instanceof Input.Price p) {
      String topic = topics.prices().name();
      return new ProducerRecord<>(topic, null, timestamp, p.key(),
          topics.prices().valueSerde().serializer().serialize(topic, p.value()));
    }
    Input.Funding f = (Input.Funding) input;
    String topic = topics.fundingRates().name();
    return new ProducerRecord<>(topic, null, timestamp, f.key(),
        topics.fundingRates().valueSerde().serializer().serialize(topic, f.value()));
  }

  /** Produces {@code inputs} in order and waits until every one is acknowledged. */
  void produce(Topics topics, List<? extends Input> inputs) {
    try (KafkaProducer<String, byte[]> producer = newProducer()) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Input input : inputs) {
        sent.add(producer.send(record(topics, input)));
      }
      producer.flush();
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new AssertionError("Producing inputs failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted producing inputs", e);
    }
  }

  /** A consumer of every partition of {@code topics} from the start, reading committed records only. */
  KafkaConsumer<String, byte[]> newReadCommittedConsumer(Collection<String> topics) {
    KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
        new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : topics) {
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /**
   * Reads {@code topics} (read_committed) until {@code done} holds for what was read, then on to
   * the current end of every partition, so records beyond what was awaited show up too.
   */
  List<ConsumerRecord<String, byte[]>> readUntil(
      Collection<String> topics,
      Predicate<List<ConsumerRecord<String, byte[]>>> done,
      Duration timeout,
      String description) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = newReadCommittedConsumer(topics)) {
      Await.until(timeout, () -> {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        return done.test(records);
      }, () -> description + "; read " + countsByTopic(records));
      Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
      Await.until(Duration.ofSeconds(30), () -> {
        boolean atEnd = ends.entrySet().stream()
            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        if (!atEnd) {
          consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return atEnd;
      }, "reading to the end of " + topics);
    }
    return records;
  }

  /** Reads navstream's outputs until every role has at least {@code expected}'s record count. */
  RunOutputs readOutputs(Topics topics, RunOutputs expected, Duration timeout) {
    Map<String, Integer> wanted = expected.counts();
    List<ConsumerRecord<String, byte[]>> records = readUntil(
        RunOutputs.topics(topics.names()),
        read -> {
          Map<String, Integer> have = countsByRole(topics.names(), read);
          return wanted.entrySet().stream()
              .allMatch(e -> have.getOrDefault(e.getKey(), 0) >= e.getValue());
        },
        timeout,
        "navstream outputs " + wanted);
    return outputs(topics, records);
  }

  static RunOutputs outputs(Topics topics, List<ConsumerRecord<String, byte[]>> records) {
    RunOutputs outputs = new RunOutputs(topics);
    for (ConsumerRecord<String, byte[]> r : records) {
      outputs.add(r.topic(), r.key(), r.value(), r.timestamp(), r.headers());
    }
    return outputs;
  }

  static Map<String, Integer> countsByRole(TopicNames names, List<ConsumerRecord<String, byte[]>> records) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      counts.merge(RunOutputs.roleOf(names, r.topic()), 1, Integer::sum);
    }
    return counts;
  }

  private static Map<String, Integer> countsByTopic(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    records.forEach(r -> counts.merge(r.topic(), 1, Integer::sum));
    return counts;
  }

  /**
   * Where navstream stands, for failure messages: per partition, the group's committed offset
   * against the end of each input topic, and the last stable offset against the high watermark of
   * each output topic (they differ while a transaction is open), plus open transactions.
   */
  String diagnostics(TopicNames names, String applicationId) {
    StringBuilder sb = new StringBuilder();
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
      List<String> all = new ArrayList<>(names.inputs().values());
      all.addAll(names.outputs().values());
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      for (TopicDescription d : admin.describeTopics(all).allTopicNames().get().values()) {
        d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, OffsetSpec> earliest = new LinkedHashMap<>();
      latest.keySet().forEach(tp -> earliest.put(tp, OffsetSpec.earliest()));
      var starts = admin.listOffsets(earliest).all().get();
      var highWatermarks = admin.listOffsets(latest).all().get();
      var stable = admin.listOffsets(latest,
          new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
      for (TopicPartition tp : latest.keySet()) {
        OffsetAndMetadata c = committed.get(tp);
        sb.append("\n  ").append(tp).append(": start ").append(starts.get(tp).offset())
            .append(", end ").append(highWatermarks.get(tp).offset())
            .append(", stable ").append(stable.get(tp).offset())
            .append(c == null ? "" : ", group committed " + c.offset());
      }
      for (TransactionListing t : admin.listTransactions().all().get()) {
        if (t.state() != TransactionState.COMPLETE_COMMIT && t.state() != TransactionState.COMPLETE_ABORT
            && t.state() != TransactionState.EMPTY) {
          sb.append("\n  open transaction ").append(t.transactionalId()).append(" ").append(t.state());
        }
      }
    } catch (Exception e) {
      sb.append("\n  (diagnostics failed: ").append(e).append(')');
    }
    return sb.toString();
  }

  /** The sum of the end offsets (high watermarks) of every partition of {@code topics}. */
  long endOffsets(Collection<String> topics) {
    try {
      Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
      for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
        d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    } catch (ExecutionException e) {
      throw new AssertionError("Cannot list the end offsets of " + topics, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  /** Input records the application has committed as consumed, summed over {@code topic}'s partitions. */
  long committedInput(String applicationId, String topic) {
    try {
      return admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get()
          .entrySet().stream()
          .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset())
          .sum();
    } catch (ExecutionException e) {
      throw new AssertionError("Cannot read the offsets of group " + applicationId, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    registry.close();
  }
}
