package io.navstream.replay;

import io.navstream.serde.SchemaRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Writes record values in the Confluent wire format (magic byte 0, a 4-byte schema id, Avro
 * binary) as JSON lines straight from their bytes ({@link AvroJson#transcode}), with the schema the
 * registry holds under that id: the same line that decoding the value and writing it with {@link
 * AvroJson#write} gives, at about half the cost. One per writing thread.
 */
final class WireJson {
  private static final byte MAGIC = 0;
  private static final int PREFIX = 5;

  private final SchemaRegistry registry;
  private final Map<Integer, Schema> schemas = new HashMap<>();
  /** The last schema looked up: a file's values nearly always share one. */
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
    if (value == null || value.length < PREFIX || value[0] != MAGIC) {
      return false;
    }
    Schema schema = schema(ByteBuffer.wrap(value, 1, 4).getInt());
    if (schema == null) {
      return false;
    }
    decoder = DecoderFactory.get().binaryDecoder(value, PREFIX, value.length - PREFIX, decoder);
    out.transcode(schema, decoder);
    if (!decoder.isEnd()) {
      throw new IllegalStateException("Bytes left after a " + schema.getFullName() + " value");
    }
    return true;
  }

  private Schema schema(int id) {
    if (id == lastId && lastSchema != null) {
      return lastSchema;
    }
    Schema schema = schemas.get(id);
    if (schema == null) {
      try {
        schema = registry.schemaById(id);
      } catch (RuntimeException unknown) {
        return null;
      }
      schemas.put(id, schema);
    }
    lastId = id;
    lastSchema = schema;
    return schema;
  }
}
