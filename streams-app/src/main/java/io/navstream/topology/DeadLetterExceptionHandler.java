package io.navstream.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.internals.ExceptionHandlerUtils;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad input never stops the app: a record that cannot be deserialized ({@code MALFORMED_RECORD}),
 * or whose processing throws ({@code PROCESSING_ERROR}), goes to the dead-letter topic with its
 * original bytes and the reason in headers, is logged, counted in Kafka Streams'
 * {@code dropped-records} metric, and processing resumes with the next record.
 *
 * <p>The fund-book processor computes a whole tick before it writes anything, so an exception
 * leaves no half-applied state behind.
 */
public final class DeadLetterExceptionHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);
  private static final String EXCEPTION_HEADER = "navstream.dlq.exception";

  private String deadLetterTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (topic == null || topic.toString().isBlank()) {
      throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must be set");
    }
    this.deadLetterTopic = topic.toString();
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    log.warn("Dead-lettering malformed record {}-{}@{}: {}", context.topic(), context.partition(),
        context.offset(), exception.toString());
    return DeserializationExceptionHandler.Response.resume(
        List.of(deadLetter(context, record.key(), record.value(), DeadLetters.Reason.MALFORMED_RECORD, exception)));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    log.error("Dead-lettering record {}-{}@{} after a processing error in {}", context.topic(),
        context.partition(), context.offset(), context.processorNodeId(), exception);
    return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context, context.sourceRawKey(),
        context.sourceRawValue(), DeadLetters.Reason.PROCESSING_ERROR, exception)));
  }

  /**
   * Kafka's standard dead-letter record (KIP-1034: {@code __streams.errors.*} headers with the
   * exception, its stack trace and the source coordinates), plus navstream's own reason headers.
   */
  private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
      DeadLetters.Reason reason, Exception exception) {
    ProducerRecord<byte[], byte[]> standard =
        ExceptionHandlerUtils.buildDeadLetterQueueRecord(deadLetterTopic, key, value, context, exception);
    Headers headers = standard.headers();
    DeadLetters.headers(reason, String.valueOf(exception.getMessage()), context.topic(), context.partition(),
        context.offset()).forEach(headers::add);
    headers.add(EXCEPTION_HEADER, exception.getClass().getName().getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(deadLetterTopic, null, context.timestamp() >= 0 ? context.timestamp() : null,
        key, value, headers);
  }
}
