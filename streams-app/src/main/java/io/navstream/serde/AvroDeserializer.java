package io.navstream.serde;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
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
 * id, and each thread reuses its own decoder.
 */
final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private final SchemaRegistry registry;
  private final boolean isKey;
  private final Class<T> type;
  private final Schema readerSchema;
  private final SpecificData model;
  private final ConcurrentMap<Integer, DatumReader<T>> readersByWriterId =
      new ConcurrentHashMap<>();
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
    DatumReader<T> reader;
    try {
      reader = readerFor(writerId);
    } catch (SchemaRegistryException e) {
      throw new SchemaRegistryException(
          "Cannot read a " + WireFormat.part(isKey) + " of topic '" + topic + "': "
              + e.getMessage(), e.httpStatus(), e.errorCode(), e);
    }
    try {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
          payload, WireFormat.HEADER_SIZE, payload.length - WireFormat.HEADER_SIZE, decoders.get());
      decoders.set(decoder);
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(String.format(
          "Cannot read a %s of topic '%s' written with schema id %d as %s: %s",
          WireFormat.part(isKey), topic, writerId, type.getName(), e), e);
    }
  }

  private DatumReader<T> readerFor(int writerId) {
    DatumReader<T> reader = readersByWriterId.get(writerId);
    if (reader == null) {
      Schema writerSchema = registry.schemaById(writerId); // cached by the registry
      reader = new SpecificDatumReader<>(writerSchema, readerSchema, model);
      DatumReader<T> raced = readersByWriterId.putIfAbsent(writerId, reader);
      if (raced != null) {
        reader = raced;
      }
    }
    return reader;
  }
}
