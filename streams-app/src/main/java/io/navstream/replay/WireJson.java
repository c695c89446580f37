package io.navstream.replay;

import io.navstream.serde.SchemaRegistry;
import io.navstream.serde.WireFormat;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Writes record values in the Confluent wire format ({@link WireFormat}) as JSON lines straight
 * from their bytes ({@link AvroJson#transcode}), with the schema the registry holds under their
 * id: the same line that decoding the value and writing it with {@link AvroJson#write} gives, at
 * about half the cost. One per writing thread.
 */
final class WireJson {
  private final SchemaRegistry registry;
  /** The last schema looked up: a file's values nearly always share one (the registry caches the rest). */
  private int lastId = -1;
  private Schema lastSchema;
  private BinaryDecoder decoder;

  WireJson(SchemaRegistry registry) {
    this.registry = registry;
  }

  /**
   * Writes {@code value} as one line of {@code out} and returns true; or returns false, writing
   * nothing, when it is not in the wire format or its schema id is unknown, for the caller to
   * decode it the usual way.
   *
   * @throws IllegalStateException when the bytes do not hold exactly one value of that schema
   */
  boolean write(JsonLines out, byte[] value) throws IOException {
    if (!WireFormat.isFramed(value)) {
      return false;
    }
    Schema schema = schema(WireFormat.schemaId(value));
    if (schema == null) {
      return false;
    }
    decoder = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE,
        value.length - WireFormat.HEADER_SIZE, decoder);
    out.transcode(schema, decoder);
    if (!decoder.isEnd()) {
      throw new IllegalStateException("Bytes left after a " + schema.getFullName() + " value");
    }
    return true;
  }

  private Schema schema(int id) {
    if (id != lastId || lastSchema == null) {
      try {
        lastSchema = registry.schemaById(id);
      } catch (RuntimeException unknown) {
        return null;
      }
      lastId = id;
    }
    return lastSchema;
  }
}
