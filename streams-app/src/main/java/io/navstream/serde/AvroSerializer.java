package io.navstream.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes SpecificRecords in Confluent's wire format under the topic-name strategy. Either every
 * record has the schema of one generated class, or (for dead letters) each record brings its own.
 *
 * <p>Thread-safe, and one instance serves all stream threads: the schema id is resolved once per
 * topic (and schema), and each thread reuses its own output buffer and encoder.
 */
final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  /** A thread's buffer grows to its largest record; beyond this it is dropped after use. */
  private static final int MAX_RETAINED_BUFFER = 1 << 20;

  private final SchemaRegistry registry;
  private final boolean autoRegister;
  private final boolean isKey;
  /** The schema and writer of the one class this serializer writes, or null for any record. */
  private final Schema classSchema;
  private final DatumWriter<T> classWriter;
  private final ConcurrentMap<String, Integer> classSchemaIdsByTopic = new ConcurrentHashMap<>();
  // Only for any record: its schema decides the writer and the id.
  private final ConcurrentMap<Schema, DatumWriter<T>> writersBySchema = new ConcurrentHashMap<>();
  private final ConcurrentMap<TopicSchema, Integer> idsByTopicSchema = new ConcurrentHashMap<>();
  private final ThreadLocal<Output> outputs = ThreadLocal.withInitial(Output::new);

  private record TopicSchema(String topic, Schema schema) {}

  private AvroSerializer(
      SchemaRegistry registry, boolean autoRegister, boolean isKey, Schema classSchema,
      DatumWriter<T> classWriter) {
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
    this.classSchema = classSchema;
    this.classWriter = classWriter;
  }

  /** A serializer of {@code type}'s records, written with the class's own schema. */
  static <T extends SpecificRecord> AvroSerializer<T> forClass(
      SchemaRegistry registry, boolean autoRegister, boolean isKey, Class<T> type) {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = AvroSerdes.classSchema(type, model);
    return new AvroSerializer<>(
        registry, autoRegister, isKey, schema, new SpecificDatumWriter<>(schema, model));
  }

  /** A serializer of any SpecificRecord, each written with its own schema. */
  static AvroSerializer<SpecificRecord> forAnyRecord(
      SchemaRegistry registry, boolean autoRegister, boolean isKey) {
    return new AvroSerializer<>(registry, autoRegister, isKey, null, null);
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null; // a tombstone stays a tombstone
    }
    Schema schema;
    DatumWriter<T> writer;
    int schemaId;
    if (classSchema != null) {
      schema = classSchema;
      writer = classWriter;
      schemaId = classSchemaId(topic);
    } else {
      schema = record.getSchema();
      writer = writerFor(record, schema);
      schemaId = schemaId(topic, schema);
    }
    return encode(topic, record, schema, schemaId, writer);
  }

  private int classSchemaId(String topic) {
    Integer cached = classSchemaIdsByTopic.get(topic);
    if (cached != null) {
      return cached;
    }
    int schemaId = resolveId(topic, classSchema);
    classSchemaIdsByTopic.putIfAbsent(topic, schemaId);
    return schemaId;
  }

  private int schemaId(String topic, Schema schema) {
    TopicSchema key = new TopicSchema(topic, schema);
    Integer cached = idsByTopicSchema.get(key);
    if (cached != null) {
      return cached;
    }
    int schemaId = resolveId(topic, schema);
    idsByTopicSchema.putIfAbsent(key, schemaId);
    return schemaId;
  }

  private int resolveId(String topic, Schema schema) {
    String subject = WireFormat.subject(topic, isKey);
    return autoRegister ? registry.register(subject, schema) : registry.lookup(subject, schema);
  }

  private DatumWriter<T> writerFor(T record, Schema schema) {
    DatumWriter<T> writer = writersBySchema.get(schema);
    if (writer == null) {
      // The record's own model carries the decimal and timestamp conversions of its class.
      SpecificData model =
          record instanceof SpecificRecordBase base
              ? base.getSpecificData()
              : SpecificData.getForClass(record.getClass());
      writer = new SpecificDatumWriter<>(schema, model);
      DatumWriter<T> raced = writersBySchema.putIfAbsent(schema, writer);
      if (raced != null) {
        writer = raced;
      }
    }
    return writer;
  }

  private byte[] encode(
      String topic, T record, Schema schema, int schemaId, DatumWriter<T> writer) {
    Output output = outputs.get();
    try {
      output.writeHeader(schemaId);
      writer.write(record, output.encoder); // unbuffered: nothing to flush
      return output.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw failure(topic, schema, e);
    } finally {
      output.reset(); // also drops the partial bytes of a record that failed
    }
  }

  private SerializationException failure(String topic, Schema schema, Exception cause) {
    String message =
        "Cannot serialize a " + WireFormat.part(isKey) + " of type " + schema.getFullName()
            + " for topic '" + topic + "' (subject '" + WireFormat.subject(topic, isKey) + "'): "
            + cause.getMessage();
    String causeText = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    Set<String> decimals = decimalTypes(schema);
    if (!decimals.isEmpty() && (causeText.contains("decimal") || causeText.contains("scale")
        || causeText.contains("precision"))) {
      // Avro rescales a decimal to the schema's scale only when that loses nothing; say which
      // scale it wants so that the producer can round explicitly.
      message += ". The decimal fields of " + schema.getName() + " have "
          + String.join(", ", decimals)
          + ": round each BigDecimal to that scale, for example with setScale(scale,"
          + " RoundingMode.HALF_EVEN), before building the record";
    }
    return new SerializationException(message, cause);
  }

  /** Descriptions like "scale 18 (precision 38)" of the decimal types anywhere in {@code schema}. */
  static Set<String> decimalTypes(Schema schema) {
    Set<String> found = new TreeSet<>();
    collectDecimalTypes(schema, found, Collections.newSetFromMap(new IdentityHashMap<>()));
    return found;
  }

  private static void collectDecimalTypes(Schema schema, Set<String> found, Set<Schema> visited) {
    if (!visited.add(schema)) {
      return; // recursive records
    }
    LogicalType logicalType = schema.getLogicalType();
    if (logicalType instanceof LogicalTypes.Decimal decimal) {
      found.add("scale " + decimal.getScale() + " (precision " + decimal.getPrecision() + ")");
    }
    switch (schema.getType()) {
      case RECORD ->
          schema.getFields().forEach(f -> collectDecimalTypes(f.schema(), found, visited));
      case UNION -> schema.getTypes().forEach(t -> collectDecimalTypes(t, found, visited));
      case ARRAY -> collectDecimalTypes(schema.getElementType(), found, visited);
      case MAP -> collectDecimalTypes(schema.getValueType(), found, visited);
      default -> { }
    }
  }

  /**
   * A thread's growable output buffer, unsynchronized (one thread uses it), and an encoder bound to
   * it for good. The encoder is a direct one: with the buffer in memory, another layer of buffering
   * would only copy, and an unbuffered encoder keeps no bytes of a failed record for the next one.
   */
  private static final class Output extends OutputStream {
    private static final int INITIAL_SIZE = 256;
    private byte[] bytes = new byte[INITIAL_SIZE];
    private int size;
    final BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(this, null);

    void writeHeader(int schemaId) {
      ensureCapacity(WireFormat.HEADER_SIZE);
      bytes[0] = WireFormat.MAGIC_BYTE;
      bytes[1] = (byte) (schemaId >>> 24);
      bytes[2] = (byte) (schemaId >>> 16);
      bytes[3] = (byte) (schemaId >>> 8);
      bytes[4] = (byte) schemaId;
      size = WireFormat.HEADER_SIZE;
    }

    @Override
    public void write(int b) {
      ensureCapacity(size + 1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
      ensureCapacity(size + length);
      System.arraycopy(source, offset, bytes, size, length);
      size += length;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    void reset() {
      size = 0;
      if (bytes.length > MAX_RETAINED_BUFFER) {
        bytes = new byte[INITIAL_SIZE];
      }
    }

    private void ensureCapacity(int needed) {
      if (needed > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
      }
    }
  }
}
