package io.navstream.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
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
  /** The class's records written field by field, or null when its schema has other types. */
  private final FastWriter classFastWriter;
  private final ConcurrentMap<String, Integer> classSchemaIdsByTopic = new ConcurrentHashMap<>();
  // Only for any record: its schema decides the writer and the id.
  private final ConcurrentMap<Schema, DatumWriter<T>> writersBySchema = new ConcurrentHashMap<>();
  private final ConcurrentMap<TopicSchema, Integer> idsByTopicSchema = new ConcurrentHashMap<>();
  private final ThreadLocal<Output> outputs = ThreadLocal.withInitial(Output::new);

  private record TopicSchema(String topic, Schema schema) {}

  private record TopicId(String topic, int id) {}

  /** The last topic and its id: a serializer nearly always writes to one topic. */
  private volatile TopicId lastClassSchemaId;

  private AvroSerializer(
      SchemaRegistry registry, boolean autoRegister, boolean isKey, Schema classSchema,
      DatumWriter<T> classWriter) {
    this.registry = registry;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
    this.classSchema = classSchema;
    this.classWriter = classWriter;
    this.classFastWriter = classSchema == null ? null : FastWriter.forSchema(classSchema);
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
    FastWriter fast = null;
    if (classSchema != null) {
      schema = classSchema;
      writer = classWriter;
      schemaId = classSchemaId(topic);
      fast = classFastWriter;
    } else {
      schema = record.getSchema();
      writer = writerFor(record, schema);
      schemaId = schemaId(topic, schema);
    }
    return encode(topic, record, schema, schemaId, writer, fast);
  }

  private int classSchemaId(String topic) {
    TopicId last = lastClassSchemaId;
    if (last != null && (last.topic() == topic || last.topic().equals(topic))) {
      return last.id();
    }
    Integer cached = classSchemaIdsByTopic.get(topic);
    if (cached == null) {
      cached = resolveId(topic, classSchema);
      classSchemaIdsByTopic.putIfAbsent(topic, cached);
    }
    lastClassSchemaId = new TopicId(topic, cached);
    return cached;
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
      String topic, T record, Schema schema, int schemaId, DatumWriter<T> writer, FastWriter fast) {
    Output output = outputs.get();
    try {
      output.writeHeader(schemaId);
      if (fast == null || !fast.write(record, output.encoder)) {
        // Avro's own writer: for what the fast one does not cover, and to fail as it always has.
        output.writeHeader(schemaId);
        writer.write(record, output.encoder); // unbuffered: nothing to flush
      }
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
   * Writes the records of one generated class straight from their fields, byte for byte as Avro's
   * SpecificDatumWriter does, without its per-field look-ups of schemas, conversions and union
   * branches (a quarter of the topology's time went there). It covers the types navstream's
   * contract uses: strings, int, long, boolean, timestamp-millis, decimal bytes, enums, nested
   * records and unions of null and one type. A schema with any other type gets none.
   *
   * <p>A record it cannot write exactly as Avro would, such as a null where the schema allows none
   * or a decimal Avro would have to rescale or refuse, makes {@link #write} return false with
   * partial bytes written: the caller then writes the record again with Avro's writer, which gives
   * the same bytes, or the same exception, as ever.
   */
  static final class FastWriter {
    /** Writes one value; false when it is not one the fast path writes exactly. */
    private interface ValueWriter {
      boolean write(Object value, Encoder out) throws IOException;
    }

    private final ValueWriter[] fields;

    private FastWriter(ValueWriter[] fields) {
      this.fields = fields;
    }

    /** The fast writer of a record schema, or null when it has a type this one does not cover. */
    static FastWriter forSchema(Schema schema) {
      ValueWriter[] writers = fieldWriters(schema);
      return writers == null ? null : new FastWriter(writers);
    }

    /** Writes {@code record}, or returns false (having written part of it) when it cannot. */
    boolean write(IndexedRecord record, Encoder out) throws IOException {
      return writeFields(fields, record, out);
    }

    private static boolean writeFields(ValueWriter[] fields, IndexedRecord record, Encoder out)
        throws IOException {
      for (int i = 0; i < fields.length; i++) {
        if (!fields[i].write(record.get(i), out)) {
          return false;
        }
      }
      return true;
    }

    private static ValueWriter[] fieldWriters(Schema record) {
      List<Schema.Field> fields = record.getFields();
      ValueWriter[] writers = new ValueWriter[fields.size()];
      for (Schema.Field field : fields) {
        ValueWriter writer = valueWriter(field.schema());
        if (writer == null || field.pos() >= writers.length) {
          return null;
        }
        writers[field.pos()] = writer;
      }
      return writers;
    }

    private static ValueWriter valueWriter(Schema schema) {
      LogicalType logical = schema.getLogicalType();
      switch (schema.getType()) {
        case STRING:
          return (v, out) -> {
            if (!(v instanceof String text)) {
              return false;
            }
            out.writeString(text);
            return true;
          };
        case INT:
          return logical != null ? null : (v, out) -> {
            if (!(v instanceof Integer n)) {
              return false;
            }
            out.writeInt(n);
            return true;
          };
        case LONG:
          if (logical == null) {
            return (v, out) -> {
              if (!(v instanceof Long n)) {
                return false;
              }
              out.writeLong(n);
              return true;
            };
          }
          // Avro's TimestampMillisConversion writes Instant.toEpochMilli().
          return !(logical instanceof LogicalTypes.TimestampMillis) ? null : (v, out) -> {
            if (!(v instanceof Instant instant)) {
              return false;
            }
            out.writeLong(instant.toEpochMilli());
            return true;
          };
        case BOOLEAN:
          return (v, out) -> {
            if (!(v instanceof Boolean b)) {
              return false;
            }
            out.writeBoolean(b);
            return true;
          };
        case BYTES:
          return logical instanceof LogicalTypes.Decimal decimal ? decimalWriter(decimal) : null;
        case ENUM:
          // SpecificDatumWriter writes a Java enum's ordinal, which is its symbol's position.
          return (v, out) -> {
            if (!(v instanceof Enum<?> e)) {
              return false;
            }
            out.writeEnum(e.ordinal());
            return true;
          };
        case RECORD:
          // Like Avro, by the positions of the writer schema's fields.
          ValueWriter[] nested = fieldWriters(schema);
          return nested == null ? null : (v, out) -> v instanceof IndexedRecord r && writeFields(nested, r, out);
        case UNION:
          return nullableWriter(schema.getTypes());
        case ARRAY:
          // As GenericDatumWriter.writeArray: one block of all the items, then the end marker.
          ValueWriter items = valueWriter(schema.getElementType());
          return items == null ? null : (v, out) -> {
            if (!(v instanceof Collection<?> list)) {
              return false;
            }
            out.writeArrayStart();
            out.setItemCount(list.size());
            for (Object item : list) {
              out.startItem();
              if (!items.write(item, out)) {
                return false;
              }
            }
            out.writeArrayEnd();
            return true;
          };
        default:
          return null;
      }
    }

    /** A union of null and one other type, in either order; null for any other union. */
    private static ValueWriter nullableWriter(List<Schema> branches) {
      if (branches.size() != 2) {
        return null;
      }
      int nullIndex = branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
      Schema other = branches.get(1 - nullIndex);
      if (branches.get(nullIndex).getType() != Schema.Type.NULL
          || other.getType() == Schema.Type.NULL || other.getType() == Schema.Type.UNION) {
        return null;
      }
      ValueWriter writer = valueWriter(other);
      if (writer == null) {
        return null;
      }
      int otherIndex = 1 - nullIndex;
      return (v, out) -> {
        if (v == null) {
          out.writeIndex(nullIndex);
          out.writeNull();
          return true;
        }
        out.writeIndex(otherIndex);
        return writer.write(v, out);
      };
    }

    /**
     * Avro's DecimalConversion: the unscaled value's two's-complement bytes, when the value has
     * the schema's scale and at most its precision; anything else is left to Avro (which
     * rescales when that loses nothing, or refuses).
     */
    private static ValueWriter decimalWriter(LogicalTypes.Decimal decimal) {
      int scale = decimal.getScale();
      int precision = decimal.getPrecision();
      return (v, out) -> {
        if (!(v instanceof BigDecimal d) || d.scale() != scale) {
          return false;
        }
        BigInteger unscaled = d.unscaledValue();
        // Fewer than 127 bits is below 10^38 and so within any precision of 38; else count.
        if ((precision < 38 || unscaled.bitLength() >= 127) && d.precision() > precision) {
          return false;
        }
        out.writeBytes(unscaled.toByteArray());
        return true;
      };
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
