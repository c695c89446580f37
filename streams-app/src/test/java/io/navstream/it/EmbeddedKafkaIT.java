package io.navstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.embedded.ApicurioRegistry;
import io.navstream.embedded.EmbeddedKafka;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker on its own: exactly-once on one node, and restarts from its data dir. */
class EmbeddedKafkaIT {
  private static final String TOPIC = "restart-check";
  private static final String GROUP = "restart-check-group";

  @Test
  void restartKeepsClusterTopicsCommittedRecordsAndOffsetsAndMovesOffATakenPort(@TempDir Path dataDir)
      throws Exception {
    String clusterId;
    String firstAddress;
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
      TestLog.line("broker formatted and started in %d ms", kafka.startupTime().toMillis());
      clusterId = kafka.clusterId();
      firstAddress = kafka.bootstrapServers();
      assertThat(firstAddress).startsWith("127.0.0.1:");
      try (Admin admin = admin(kafka)) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
      }
      // Transactions need the transaction log at replication factor 1 with min ISR 1.
      try (KafkaProducer<String, String> producer = transactionalProducer(kafka)) {
        producer.initTransactions();
        producer.beginTransaction();
        IntStream.range(0, 10).forEach(i -> producer.send(new ProducerRecord<>(TOPIC, "k" + i, "committed-" + i)));
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(TOPIC, "k", "aborted"));
        producer.flush();
        producer.abortTransaction();
      }
      try (KafkaConsumer<String, String> consumer = groupConsumer(kafka)) {
        List<String> values = pollUntil(consumer, 10);
        assertThat(values).hasSize(10).allMatch(v -> v.startsWith("committed-"));
        consumer.commitSync();
      }
    }

    try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
      TestLog.line("broker restarted in %d ms", kafka.startupTime().toMillis());
      assertThat(kafka.clusterId()).isEqualTo(clusterId);
      assertThat(kafka.bootstrapServers()).as("previous ports are reused when free").isEqualTo(firstAddress);
      assertRestored(kafka);
    }

    int oldPort = Integer.parseInt(firstAddress.substring(firstAddress.indexOf(':') + 1));
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), oldPort));
      try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir)) {
        assertThat(kafka.bootstrapServers()).isNotEqualTo(firstAddress);
        assertThat(kafka.clusterId()).isEqualTo(clusterId);
        assertRestored(kafka);
      }
    }
  }

  private static void assertRestored(EmbeddedKafka kafka) throws Exception {
    try (Admin admin = admin(kafka)) {
      assertThat(admin.listTopics().names().get()).contains(TOPIC);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
      assertThat(committed).containsOnlyKeys(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
    }
    try (KafkaConsumer<String, String> consumer = readCommittedConsumer(kafka, null)) {
      List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      assertThat(pollUntil(consumer, 10)).hasSize(10).doesNotContain("aborted");
    }
  }

  @Test
  void apicurioHomeErrorNamesThePlaceLookedAt(@TempDir Path empty) {
    assertThatThrownBy(() -> ApicurioRegistry.locateHome(empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the given directory: " + empty.toAbsolutePath())
        .hasMessageContaining(ApicurioRegistry.HOME_PROPERTY)
        .hasMessageContaining(ApicurioRegistry.HOME_ENV);
  }

  private static List<String> pollUntil(KafkaConsumer<String, String> consumer, int count) {
    List<String> values = new ArrayList<>();
    Await.until(Duration.ofSeconds(30), () -> {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        values.add(r.value());
      }
      return values.size() >= count;
    }, () -> count + " records, got " + values);
    return values;
  }

  private static Admin admin(EmbeddedKafka kafka) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static KafkaProducer<String, String> transactionalProducer(EmbeddedKafka kafka) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "embedded-kafka-it"),
        new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> groupConsumer(EmbeddedKafka kafka) {
    KafkaConsumer<String, String> consumer = readCommittedConsumer(kafka, GROUP);
    consumer.subscribe(Set.of(TOPIC));
    return consumer;
  }

  private static KafkaConsumer<String, String> readCommittedConsumer(EmbeddedKafka kafka, String group) {
    Map<String, Object> config = new java.util.HashMap<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
