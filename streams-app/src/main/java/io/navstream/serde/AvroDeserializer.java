package io.navstream.serde;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format payloads into one SpecificRecord class. The writer schema is fetched
 * by the id in the payload, and Avro's schema resolution reads it as the class's schema, so data
 * written with older or newer compatible versions reads fine (missing fields get their defaults).
 *
 * <p>Thread-safe: one instance serves all stream threads. A reader is built once per writer schema
 * id, and each thread reuses its own decoder. Data written with the class's own schema, which is
 * nearly all of it, is read by a {@link FastReader}.
 */
final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final SchemaRegistry registry;
  private final boolean isKey;
  private final Class<T> type;
  private final Schema readerSchema;
  private final SpecificData model;
  private final ConcurrentMap<Integer, Readers<T>> readersByWriterId = new ConcurrentHashMap<>();
  private final ThreadLocal<BinaryDecoder> decoders = new ThreadLocal<>();

  AvroDeserializer(SchemaRegistry registry, boolean isKey, Class<T> type) {
    this.registry = registry;
    this.isKey = isKey;
    this.type = type;
    // The generated class's model has the decimal and timestamp conversions its fields need.
    this.model = SpecificData.getForClass(type);
    this.readerSchema = AvroSerdes.classSchema(type, model);
  }

  @Override
  public T deserialize(String topic, byte[] payload) {
    if (payload == null || payload.length == 0) {
      return null;
    }
    if (payload[0] != WireFormat.MAGIC_BYTE) {
      throw new SerializationException(String.format(
          "Cannot read a %s of topic '%s' as %s: its first byte is 0x%02x, not the magic byte 0"
              + " of the Confluent Avro wire format (was it written by another serializer?)",
          WireFormat.part(isKey), topic, type.getSimpleName(), payload[0] & 0xff));
    }
    if (payload.length < WireFormat.HEADER_SIZE) {
      throw new SerializationException(String.format(
          "Cannot read a %s of topic '%s' as %s: it has %d byte(s), fewer than the %d-byte header"
              + " of the Confluent Avro wire format",
          WireFormat.part(isKey), topic, type.getSimpleName(), payload.length,
          WireFormat.HEADER_SIZE));
    }
    int writerId = WireFormat.schemaId(payload);
    Readers<T> readers;
    try {
      readers = readersFor(writerId);
    } catch (SchemaRegistryException e) {
      throw new SchemaRegistryException(
          "Cannot read a " + WireFormat.part(isKey) + " of topic '" + topic + "': "
              + e.getMessage(), e.httpStatus(), e.errorCode(), e);
    }
    if (readers.fast != null) {
      T record = readers.fast.read(decoder(payload));
      if (record != null) {
        return record;
      }
    }
    try {
      return readers.avro.read(null, decoder(payload));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(String.format(
          "Cannot read a %s of topic '%s' written with schema id %d as %s: %s",
          WireFormat.part(isKey), topic, writerId, type.getName(), e), e);
    }
  }

  private BinaryDecoder decoder(byte[] payload) {
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
        payload, WireFormat.HEADER_SIZE, payload.length - WireFormat.HEADER_SIZE, decoders.get());
    decoders.set(decoder);
    return decoder;
  }

  /** Avro's reader for a writer schema and, when it is the class's own schema, the fast one. */
  private record Readers<T>(DatumReader<T> avro, FastReader<T> fast) {}

  private Readers<T> readersFor(int writerId) {
    Readers<T> readers = readersByWriterId.get(writerId);
    if (readers == null) {
      Schema writerSchema = registry.schemaById(writerId); // cached by the registry
      readers = new Readers<>(new SpecificDatumReader<>(writerSchema, readerSchema, model),
          writerSchema.equals(readerSchema) ? FastReader.forSchema(readerSchema, model) : null);
      Readers<T> raced = readersByWriterId.putIfAbsent(writerId, readers);
      if (raced != null) {
        readers = raced;
      }
    }
    return readers;
  }

  /**
   * Reads records written with the class's own schema straight into a new instance, as Avro's
   * SpecificDatumReader does (the same objects: Strings, BigDecimals of the schema's scale,
   * Instants, the enum constants, nested records), without its generic field setters and
   * conversion look-ups. Covers the types navstream's contract uses; a schema with any other gets
   * none. Returns null from {@link #read} when the bytes do not read cleanly, and the caller reads
   * them again with Avro's reader, which fails as it always has.
   */
  static final class FastReader<T> {
    private interface ValueReader {
      Object read(Decoder in) throws IOException;
    }

    private final ValueReader reader;

    private FastReader(ValueReader reader) {
      this.reader = reader;
    }

    static <T> FastReader<T> forSchema(Schema schema, SpecificData model) {
      ValueReader reader = valueReader(schema, model);
      return reader == null ? null : new FastReader<>(reader);
    }

    @SuppressWarnings("unchecked") // built from the class's schema, so it reads that class
    T read(Decoder in) {
      try {
        return (T) reader.read(in);
      } catch (IOException | RuntimeException e) {
        return null; // Avro's reader says what is wrong
      }
    }

    private static ValueReader valueReader(Schema schema, SpecificData model) {
      LogicalType logical = schema.getLogicalType();
      switch (schema.getType()) {
        case STRING:
          // Generated classes hold Strings: Avro reads those straight as Strings.
          return !"String".equals(schema.getProp(GenericData.STRING_PROP)) ? null : Decoder::readString;
        case INT:
          return logical != null ? null : Decoder::readInt;
        case LONG:
          if (logical == null) {
            return Decoder::readLong;
          }
          return !(logical instanceof LogicalTypes.TimestampMillis) ? null
              : in -> Instant.ofEpochMilli(in.readLong());
        case BOOLEAN:
          return Decoder::readBoolean;
        case BYTES:
          if (!(logical instanceof LogicalTypes.Decimal decimal)) {
            return null;
          }
          int scale = decimal.getScale();
          return in -> { // as Avro's DecimalConversion.fromBytes
            ByteBuffer buffer = in.readBytes(null);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return new BigDecimal(new BigInteger(bytes), scale);
          };
        case ENUM:
          Object[] constants = schema.getEnumSymbols().stream()
              .map(symbol -> model.createEnum(symbol, schema)).toArray();
          return in -> constants[in.readEnum()];
        case RECORD:
          return recordReader(schema, model);
        case UNION:
          List<Schema> branches = schema.getTypes();
          ValueReader[] readers = new ValueReader[branches.size()];
          for (int i = 0; i < readers.length; i++) {
            readers[i] = branches.get(i).getType() == Schema.Type.NULL
                ? in -> {
                  in.readNull();
                  return null;
                }
                : valueReader(branches.get(i), model);
            if (readers[i] == null) {
              return null;
            }
          }
          return in -> readers[in.readIndex()].read(in);
        case ARRAY:
          // As GenericDatumReader.readArray: a GenericData.Array, filled block by block.
          ValueReader items = valueReader(schema.getElementType(), model);
          if (items == null) {
            return null;
          }
          return in -> {
            long count = in.readArrayStart();
            GenericData.Array<Object> array = new GenericData.Array<>((int) Math.max(count, 0), schema);
            while (count > 0) {
              for (long i = 0; i < count; i++) {
                array.add(items.read(in));
              }
              count = in.arrayNext();
            }
            return array;
          };
        default:
          return null;
      }
    }

    private static ValueReader recordReader(Schema schema, SpecificData model) {
      if (!(model.newRecord(null, schema) instanceof IndexedRecord)) {
        return null;
      }
      List<Schema.Field> fields = schema.getFields();
      ValueReader[] readers = new ValueReader[fields.size()];
      for (Schema.Field field : fields) {
        readers[field.pos()] = valueReader(field.schema(), model);
        if (readers[field.pos()] == null) {
          return null;
        }
      }
      return in -> {
        IndexedRecord record = (IndexedRecord) model.newRecord(null, schema);
        for (int i = 0; i < readers.length; i++) {
          record.put(i, readers[i].read(in));
        }
        return record;
      };
    }
  }
}
