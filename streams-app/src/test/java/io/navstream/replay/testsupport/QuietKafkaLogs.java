package io.navstream.replay.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Raises Kafka's log level to WARN for tests that pipe many records: without a logback
 * configuration, logback logs at DEBUG, and Kafka Streams writes several DEBUG lines per record,
 * which makes a large replay slow and its test output huge.
 */
public final class QuietKafkaLogs implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    if (LoggerFactory.getLogger("org.apache.kafka") instanceof Logger kafka) {
      kafka.setLevel(Level.WARN);
    }
  }
}
