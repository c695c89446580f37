package io.navstream.serde;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes of generated Avro classes in Confluent's wire format (magic byte 0, 4-byte schema id, Avro
 * binary), with subjects named by the topic-name strategy: {@code <topic>-value} and {@code
 * <topic>-key}.
 *
 * <p>Serializers register their class's schema (or, without auto-registration, only look it up) on
 * the first record of each topic and cache the id; deserializers fetch each writer schema once by
 * id and resolve it against the class's schema. The serdes are thread-safe and meant to be shared
 * by all stream threads. Nothing is read from Kafka configs: {@code configure} and {@code close} do
 * nothing, and closing a serde leaves the shared registry open.
 */
public final class AvroSerdes {
  private final SchemaRegistry registry;
  private final boolean autoRegister;
  private final ConcurrentMap<Class<?>, Serde<?>> valueSerdes = new ConcurrentHashMap<>();
  private final ConcurrentMap<Class<?>, Serde<?>> keySerdes = new ConcurrentHashMap<>();
  private final Serializer<SpecificRecord> anyValueSerializer;

  /**
   * @param registry where schemas are registered and fetched
   * @param autoRegister whether serializers register their schema, or only look it up (and fail
   *     when it is not registered)
   */
  public AvroSerdes(SchemaRegistry registry, boolean autoRegister) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.autoRegister = autoRegister;
    this.anyValueSerializer = AvroSerializer.forAnyRecord(registry, autoRegister, false);
  }

  /** The serde of {@code type} as record values, subject {@code <topic>-value}; one per class. */
  public <T extends SpecificRecord> Serde<T> forValues(Class<T> type) {
    return serde(valueSerdes, type, false);
  }

  /** The serde of {@code type} as record keys, subject {@code <topic>-key}; one per class. */
  public <T extends SpecificRecord> Serde<T> forKeys(Class<T> type) {
    return serde(keySerdes, type, true);
  }

  /**
   * A serializer of any SpecificRecord as a value, with the record's own schema under {@code
   * <topic>-value}: writes a rejected record to a dead-letter topic in its source topic's format.
   */
  public Serializer<SpecificRecord> anyValueSerializer() {
    return anyValueSerializer;
  }

  public SchemaRegistry registry() {
    return registry;
  }

  public boolean autoRegister() {
    return autoRegister;
  }

  /** The subject of a topic's values under the topic-name strategy. */
  public static String valueSubject(String topic) {
    return WireFormat.subject(topic, false);
  }

  /** The subject of a topic's keys under the topic-name strategy. */
  public static String keySubject(String topic) {
    return WireFormat.subject(topic, true);
  }

  @SuppressWarnings("unchecked") // each map entry pairs a class with a serde of that class
  private <T extends SpecificRecord> Serde<T> serde(
      ConcurrentMap<Class<?>, Serde<?>> serdes, Class<T> type, boolean isKey) {
    Objects.requireNonNull(type, "type");
    return (Serde<T>) serdes.computeIfAbsent(type, t -> Serdes.serdeFrom(
        AvroSerializer.forClass(registry, autoRegister, isKey, type),
        new AvroDeserializer<>(registry, isKey, type)));
  }

  /** The schema of a generated class (its {@code SCHEMA$}). */
  static Schema classSchema(Class<? extends SpecificRecord> type, SpecificData model) {
    try {
      Schema schema = model.getSchema(type);
      if (schema.getType() != Schema.Type.RECORD) {
        throw new IllegalArgumentException(type.getName() + " is not an Avro record class");
      }
      return schema;
    } catch (AvroRuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot get the Avro schema of " + type.getName() + ": is it a generated class?", e);
    }
  }
}
