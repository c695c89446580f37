package io.navstream.serde;

/**
 * Confluent's wire format: one magic byte 0, the writer schema's registry id as a 4-byte big-endian
 * int, then the Avro binary encoding of the datum.
 */
final class WireFormat {
  static final byte MAGIC_BYTE = 0;
  static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The schema id in a payload's header; the caller has checked the magic byte and the length. */
  static int schemaId(byte[] payload) {
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
