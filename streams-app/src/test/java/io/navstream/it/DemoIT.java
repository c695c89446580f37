package io.navstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.RebalanceReason;
import io.navstream.demo.Demo;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, in-process: the demo starts its own broker and registry, defines the
 * demo funds, simulates a market, runs navstream and shows NAVs; stopped and started again on the
 * same data directory, it continues the same funds (no second inception) and the same market.
 */
class DemoIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path dataDir;

  private Demo.Options options() {
    return new Demo.Options(dataDir, null, null, 2, Duration.ofMinutes(2), 20, 7, Duration.ofSeconds(1), false);
  }

  @Test
  void runsTheWholePipelineAndRestartsFromItsDataDirectory() throws Exception {
    StringWriter first = new StringWriter();
    long inceptions;
    try (Demo demo = Demo.start(options(), new PrintWriter(first, true))) {
      Await.until(WAIT, () -> demo.rebalancesSeen() >= 8 && demo.navUpdatesSeen() >= 200,
          () -> "NAV updates and the 8 inceptions in the live view; output so far:\n" + first);
      assertThat(first.toString())
          .contains("Kafka bootstrap servers: " + demo.bootstrapServers())
          .contains("Schema registry:         " + demo.registryUrl())
          .contains("BTC3L", "SOL3S", "INCEPTION")
          .contains("Dashboard:               " + demo.apiUrl() + "/dashboard/");
      java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(demo.apiUrl() + "/dashboard/"))
              .timeout(Duration.ofSeconds(15)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("navstream");
      inceptions = inceptions(demo);
      assertThat(inceptions).isEqualTo(8);
      TestLog.line("demo started in " + demo.startupTime().toMillis() + " ms");
    }

    StringWriter second = new StringWriter();
    try (Demo demo = Demo.start(options(), new PrintWriter(second, true))) {
      assertThat(second.toString()).contains("Resumed: funds already defined");
      long navBefore = demo.navUpdatesSeen();
      Await.until(WAIT, () -> demo.navUpdatesSeen() >= navBefore + 200,
          () -> "NAV updates after the restart; output so far:\n" + second);
      assertThat(inceptions(demo)).as("inceptions across both runs").isEqualTo(inceptions);
      assertThat(demo.app().state().isRunningOrRebalancing()).isTrue();
      TestLog.line("demo restarted in " + demo.startupTime().toMillis() + " ms");
    }
  }

  /** INCEPTION instructions committed to rebalance-instructions since the beginning. */
  private static long inceptions(Demo demo) {
    TopicNames names = TopicNames.defaults();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, demo.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (SchemaRegistry registry = SchemaRegistries.connect(io.navstream.serde.RegistrySettings.of(demo.registryUrl()));
        KafkaConsumer<String, byte[]> consumer =
            new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      Topics topics = new Topics(names, new AvroSerdes(registry, false));
      var partitions = consumer.partitionsFor(names.rebalanceInstructions()).stream()
          .map(i -> new org.apache.kafka.common.TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var ends = consumer.endOffsets(partitions);
      List<RebalanceInstruction> all = new ArrayList<>();
      Await.until(WAIT, () -> {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          all.add(topics.rebalanceInstructions().valueSerde().deserializer().deserialize(r.topic(), r.value()));
        }
        return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
      }, "reading rebalance-instructions to its end");
      return all.stream().filter(i -> i.getReason() == RebalanceReason.INCEPTION).count();
    }
  }
}
