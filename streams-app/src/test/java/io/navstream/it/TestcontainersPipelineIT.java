package io.navstream.it;

import io.navstream.embedded.ApicurioRegistry;
import io.navstream.embedded.RegistryRules;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * {@link PipelineScenario} on containers: Apache Kafka 4.1 and Apicurio Registry's in-memory
 * image. Skipped, not failed, where Docker is not available.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersPipelineIT extends PipelineScenario {
  private static final int APICURIO_PORT = 8080;

  /** Records carry event times in 2025: no time-based retention or rolling (see EmbeddedKafka). */
  @Container
  private static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0")
      .withEnv("KAFKA_LOG_RETENTION_MS", "-1")
      .withEnv("KAFKA_LOG_ROLL_MS", String.valueOf(Duration.ofDays(36_500).toMillis()));

  @Container
  private static final GenericContainer<?> APICURIO =
      new GenericContainer<>("apicurio/apicurio-registry-mem:2.6.13.Final")
          .withExposedPorts(APICURIO_PORT)
          .waitingFor(Wait.forHttp(ApicurioRegistry.CCOMPAT_PATH + "/subjects").forStatusCode(200))
          .withStartupTimeout(Duration.ofMinutes(2));

  @BeforeAll
  static void registryRules() {
    RegistryRules.applyGlobalDefault(registryUrl());
  }

  private static String registryUrl() {
    return "http://" + APICURIO.getHost() + ":" + APICURIO.getMappedPort(APICURIO_PORT)
        + ApicurioRegistry.CCOMPAT_PATH;
  }

  @Override
  protected ItEnvironment environment() {
    return new ItEnvironment() {
      @Override
      public String bootstrapServers() {
        return KAFKA.getBootstrapServers();
      }

      @Override
      public String registryUrl() {
        return TestcontainersPipelineIT.registryUrl();
      }
    };
  }
}
