package io.navstream.serde;

/**
 * Confluent's wire format: one magic byte 0, the writer schema's registry id as a 4-byte big-endian
 * int, then the Avro binary encoding of the datum.
 */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Whether {@code payload} starts with the wire format's header (magic byte and schema id). */
  public static boolean isFramed(byte[] payload) {
    return payload != null && payload.length >= HEADER_SIZE && payload[0] == MAGIC_BYTE;
  }

  /** The schema id in a payload's header; the caller has checked the magic byte and the length. */
  public static int schemaId(byte[] payload) {
    return (payload[1] & 0xff) << 24
        | (payload[2] & 0xff) << 16
        | (payload[3] & 0xff) << 8
        | (payload[4] & 0xff);
  }

  /** The subject of a topic's keys or values under the topic-name strategy. */
  static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }

  /** "key" or "value", for messages. */
  static String part(boolean isKey) {
    return isKey ? "key" : "value";
  }
}
