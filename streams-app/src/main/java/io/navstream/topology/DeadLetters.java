package io.navstream.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter contract. A rejected input is written to the dead-letter topic with its own key
 * and value bytes (Avro in the Confluent wire format, readable with the source topic's schema), and
 * these headers say why.
 */
public final class DeadLetters {
  /** A {@link Reason} name: machine-readable, stable, usable as a metric label. */
  public static final String REASON = "navstream.dlq.reason";
  /** A sentence for humans. */
  public static final String MESSAGE = "navstream.dlq.message";
  public static final String SOURCE_TOPIC = "navstream.dlq.source.topic";
  public static final String SOURCE_PARTITION = "navstream.dlq.source.partition";
  public static final String SOURCE_OFFSET = "navstream.dlq.source.offset";

  /** Why an input was rejected. */
  public enum Reason {
    /** Could not be deserialized (bad bytes, unknown schema id, wrong magic byte), or lacks a
     * required field (a command without commandId or a known type). */
    MALFORMED_RECORD,
    /** A price that is zero or negative. */
    INVALID_PRICE,
    /** The record key is missing or differs from the symbol or fundId in the value. */
    KEY_MISMATCH,
    /** Older than its underlying's watermark; changes nothing. */
    LATE_INPUT,
    /** A definition that breaks the validation rules; the previous valid one stays in force. */
    INVALID_DEFINITION,
    /** After inception: underlying, direction, initialNav or initialShares changed. */
    IMMUTABLE_FIELD_CHANGED,
    /**
     * A definition, retirement or command for a retired or depleted fund; fundIds are never reused.
     */
    FUND_CLOSED,
    /** A retirement or operator command for a fund that was never defined. */
    UNKNOWN_FUND,
    /** A manual rebalance of a fund that has not incepted (no position, no price yet). */
    NOT_INCEPTED,
    /** An operator command whose commandId was already applied; it is not applied twice. */
    DUPLICATE_COMMAND,
    /** A token price with no NAV of its fund at or before its time (within the NAV history). */
    NO_NAV,
    /** An unexpected exception while processing the record. */
    PROCESSING_ERROR
  }

  private DeadLetters() {}

  /** Fresh headers carrying a rejection and where the rejected record came from. */
  public static Headers headers(Reason reason, String message, String topic, int partition, long offset) {
    Headers headers = new RecordHeaders();
    headers.add(REASON, utf8(reason.name()));
    headers.add(MESSAGE, utf8(message == null ? reason.name() : message));
    if (topic != null) {
      headers.add(SOURCE_TOPIC, utf8(topic));
      headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
      headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    }
    return headers;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
