package io.navstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.config.NavstreamConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SimulatorClientsTest {

  private static NavstreamConfig config(Map<String, String> env) {
    return NavstreamConfig.load(null, env);
  }

  @Test
  void theProducerIsDurableIdempotentAndKeepsTheDefaultPartitioner() {
    Properties props = SimulatorClients.producerProperties(config(Map.of(
        "NAVSTREAM_BOOTSTRAP_SERVERS", "kafka:9092",
        "NAVSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "NAVSTREAM_KAFKA_PRODUCER_ACKS", "1",
        "NAVSTREAM_KAFKA_PRODUCER_PARTITIONER_CLASS", "org.apache.kafka.clients.producer.RoundRobinPartitioner",
        "NAVSTREAM_KAFKA_COMMIT_INTERVAL_MS", "50")));

    assertThat(props)
        .containsEntry("bootstrap.servers", "kafka:9092")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "5")
        .containsEntry("partitioner.ignore.keys", "false")
        .containsEntry("client.id", "navstream-simulator")
        // Security settings reach the simulator as they reach the streams.
        .containsEntry("security.protocol", "SASL_SSL")
        .doesNotContainKey("partitioner.class")
        .doesNotContainKey("commit.interval.ms");
  }

  @Test
  void aProducerPrefixedSettingWinsOverTheUnprefixedOne() {
    Properties props = SimulatorClients.producerProperties(config(Map.of(
        "NAVSTREAM_BOOTSTRAP_SERVERS", "kafka:9092",
        "NAVSTREAM_KAFKA_LINGER_MS", "50",
        "NAVSTREAM_KAFKA_PRODUCER_LINGER_MS", "20")));

    assertThat(props).containsEntry("linger.ms", "20");
  }

  @Test
  void theAdminGetsTheSecurityAndItsOwnPrefixedSettings() {
    Map<String, Object> admin = SimulatorClients.adminConfig(config(Map.of(
        "NAVSTREAM_BOOTSTRAP_SERVERS", "kafka:9092",
        "NAVSTREAM_KAFKA_SECURITY_PROTOCOL", "SSL",
        "NAVSTREAM_KAFKA_ADMIN_REQUEST_TIMEOUT_MS", "7000",
        "NAVSTREAM_KAFKA_LINGER_MS", "50")));

    assertThat(admin)
        .containsEntry("bootstrap.servers", "kafka:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("request.timeout.ms", "7000")
        .doesNotContainKey("linger.ms");
  }

  @Test
  void withoutBootstrapServersItSaysWhichKeyIsMissing() {
    assertThatThrownBy(() -> SimulatorClients.producerProperties(config(Map.of())))
        .hasMessageContaining("bootstrap.servers");
  }
}
