package io.navstream.query;

import io.navstream.avro.FundCommand;
import io.navstream.avro.FundCommandType;
import io.navstream.config.NavstreamConfig;
import io.navstream.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Operator actions as {@link FundCommand}s on the {@code fund-commands} topic (key fundId), with an
 * idempotent acks=all producer. The topology applies them; the API never writes a store.
 */
final class CommandPublisher implements AutoCloseable {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaProducer<String, FundCommand> producer;
  private final String topic;

  CommandPublisher(NavstreamConfig config, Topics topics) {
    // The streams' own producer settings, so kafka.* security settings apply here too.
    Map<String, Object> props = new StreamsConfig(config.streamsProperties())
        .getProducerConfigs(config.applicationId() + "-operator-commands");
    props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.topic = topics.fundCommands().name();
    this.producer = new KafkaProducer<>(props, new StringSerializer(),
        topics.fundCommands().valueSerde().serializer());
  }

  /** Sends the command and waits for the broker's acknowledgement; returns the command. */
  FundCommand send(String fundId, FundCommandType type, String requestedBy) {
    FundCommand command = FundCommand.newBuilder()
        .setCommandId(UUID.randomUUID().toString())
        .setFundId(fundId)
        .setType(type)
        .setRequestedBy(requestedBy)
        .setEventTime(Instant.ofEpochMilli(System.currentTimeMillis()))
        .build();
    try {
      producer.send(new ProducerRecord<>(topic, null, command.getEventTime().toEpochMilli(), fundId, command))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return command;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted sending the command");
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw ApiException.unavailable("could not write the command to " + topic + ": " + cause);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
