package io.navstream.replay;

import io.navstream.serde.SchemaRegistry;
import io.navstream.serde.WireFormat;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes a dead-letter value, which is the rejected record's own bytes, when they are Avro in the
 * Confluent wire format (magic byte 0, 4-byte schema id) with a schema the registry knows. That
 * covers the input topics and the topology's internal topics alike, without knowing which one the
 * record came from.
 */
final class DeadLetterValues {
  private final SchemaRegistry registry;
  private final Map<Integer, GenericDatumReader<Object>> readers = new HashMap<>();
  private BinaryDecoder decoder;

  DeadLetterValues(SchemaRegistry registry) {
    this.registry = registry;
  }

  SchemaRegistry registry() {
    return registry;
  }

  /** The decoded value and its schema, or null when the bytes are not decodable Avro. */
  Decoded decode(byte[] bytes) {
    if (!WireFormat.isFramed(bytes)) {
      return null;
    }
    int id = WireFormat.schemaId(bytes);
    try {
      GenericDatumReader<Object> reader =
          readers.computeIfAbsent(id, i -> new GenericDatumReader<>(registry.schemaById(i)));
      decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE,
          bytes.length - WireFormat.HEADER_SIZE, decoder);
      Object value = reader.read(null, decoder);
      return decoder.isEnd() ? new Decoded(reader.getSchema(), value) : null;
    } catch (Exception e) {
      // Undecodable bytes are often the very reason the record was rejected: show them raw.
      return null;
    }
  }

  record Decoded(Schema schema, Object value) {}
}
