package io.navstream.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes Avro records as plain JSON, driven by the record's schema: the schema's field names,
 * decimals as strings ({@link BigDecimal#toPlainString()}, so no precision is lost and no exponent
 * appears), timestamps as ISO-8601 ({@link Instant#toString()}), enums by symbol, nulls as null,
 * nested records as objects, plain bytes as base64.
 *
 * <p>This is not Avro's own JSON encoding: unions are written as the bare value, without the {@code
 * {"type": value}} wrapper, because the output is for people and generic JSON tools.
 *
 * <p>Accepts both SpecificRecords (logical types already converted to {@link BigDecimal}, {@link
 * Instant}, ...) and GenericRecords read without conversions ({@link ByteBuffer} decimals, {@code
 * long} timestamps). Stateless; reuse one {@link JsonGenerator} per output for speed.
 */
public final class AvroJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private AvroJson() {}

  /** Writes {@code record} as one JSON object. */
  public static void write(JsonGenerator out, IndexedRecord record) throws IOException {
    writeRecord(out, record.getSchema(), record);
  }

  /** Writes {@code value}, whose Avro schema is {@code schema}, as JSON. */
  public static void write(JsonGenerator out, Schema schema, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
      return;
    }
    switch (schema.getType()) {
      case RECORD -> writeRecord(out, schema, (IndexedRecord) value);
      case UNION -> write(out, unionBranch(schema, value), value);
      case ENUM, STRING -> out.writeString(value.toString());
      case BYTES, FIXED -> writeBytes(out, schema, value);
      case INT, LONG -> writeIntegral(out, schema, value);
      case FLOAT -> out.writeNumber(((Number) value).floatValue());
      case DOUBLE -> out.writeNumber(((Number) value).doubleValue());
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case NULL -> out.writeNull();
      case ARRAY -> {
        out.writeStartArray();
        for (Object element : (Collection<?>) value) {
          write(out, schema.getElementType(), element);
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          out.writeFieldName(entry.getKey().toString());
          write(out, schema.getValueType(), entry.getValue());
        }
        out.writeEndObject();
      }
    }
  }

  /** {@code record} as a compact JSON string; for diagnostics and tests, not for bulk output. */
  public static String toJson(IndexedRecord record) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = FACTORY.createGenerator(text)) {
      write(out, record);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString();
  }

  private static void writeRecord(JsonGenerator out, Schema schema, IndexedRecord record)
      throws IOException {
    out.writeStartObject();
    List<Schema.Field> fields = schema.getFields();
    for (int i = 0, n = fields.size(); i < n; i++) {
      Schema.Field field = fields.get(i);
      out.writeFieldName(field.name());
      write(out, field.schema(), record.get(field.pos()));
    }
    out.writeEndObject();
  }

  private static void writeBytes(JsonGenerator out, Schema schema, Object value)
      throws IOException {
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
      BigDecimal number = value instanceof BigDecimal d ? d : decodeDecimal(schema, decimal, value);
      out.writeString(number.toPlainString());
    } else if (value instanceof ByteBuffer buffer) {
      ByteBuffer view = buffer.duplicate(); // never move the caller's position
      byte[] bytes = new byte[view.remaining()];
      view.get(bytes);
      out.writeBinary(bytes);
    } else if (value instanceof GenericFixed fixed) {
      out.writeBinary(fixed.bytes());
    } else {
      out.writeBinary((byte[]) value);
    }
  }

  private static BigDecimal decodeDecimal(Schema schema, LogicalTypes.Decimal decimal, Object raw) {
    Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
    if (raw instanceof GenericFixed fixed) {
      return conversion.fromFixed(fixed, schema, decimal);
    }
    return conversion.fromBytes(((ByteBuffer) raw).duplicate(), schema, decimal);
  }

  private static void writeIntegral(JsonGenerator out, Schema schema, Object value)
      throws IOException {
    LogicalType logical = schema.getLogicalType();
    if (logical == null || !(value instanceof Number number)) {
      // No logical type, or one already converted to a java.time value by SpecificData.
      if (value instanceof Number number) {
        out.writeNumber(number.longValue());
      } else {
        out.writeString(value.toString());
      }
      return;
    }
    long raw = number.longValue();
    String text =
        switch (logical.getName()) {
          case "timestamp-millis" -> Instant.ofEpochMilli(raw).toString();
          case "timestamp-micros" -> Instant.EPOCH.plus(raw, ChronoUnit.MICROS).toString();
          case "timestamp-nanos" -> Instant.EPOCH.plus(raw, ChronoUnit.NANOS).toString();
          case "local-timestamp-millis" ->
              LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC)
                  .plus(raw, ChronoUnit.MILLIS)
                  .toString();
          case "local-timestamp-micros" ->
              LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC)
                  .plus(raw, ChronoUnit.MICROS)
                  .toString();
          case "date" -> LocalDate.ofEpochDay(raw).toString();
          case "time-millis" -> LocalTime.ofNanoOfDay(raw * 1_000_000L).toString();
          case "time-micros" -> LocalTime.ofNanoOfDay(raw * 1_000L).toString();
          default -> null;
        };
    if (text == null) {
      out.writeNumber(raw);
    } else {
      out.writeString(text);
    }
  }

  /** The branch of {@code union} that {@code value} (not null) belongs to. */
  private static Schema unionBranch(Schema union, Object value) {
    List<Schema> branches = union.getTypes();
    // The common case, ["null", T]: no need to inspect the value.
    if (branches.size() == 2) {
      if (branches.get(0).getType() == Schema.Type.NULL) {
        return branches.get(1);
      }
      if (branches.get(1).getType() == Schema.Type.NULL) {
        return branches.get(0);
      }
    }
    for (Schema branch : branches) {
      if (matches(branch, value)) {
        return branch;
      }
    }
    throw new IllegalArgumentException(
        "Value of " + value.getClass().getName() + " matches no branch of " + union);
  }

  private static boolean matches(Schema branch, Object value) {
    return switch (branch.getType()) {
      case RECORD, ENUM, FIXED ->
          value instanceof GenericContainer c
              ? c.getSchema().getFullName().equals(branch.getFullName())
              : value instanceof Enum<?> e
                  && e.getDeclaringClass().getName().equals(branch.getFullName());
      case STRING -> value instanceof CharSequence;
      case BYTES ->
          value instanceof ByteBuffer || value instanceof byte[] || value instanceof BigDecimal;
      case INT ->
          value instanceof Integer || value instanceof LocalDate || value instanceof LocalTime;
      case LONG ->
          value instanceof Long
              || value instanceof Instant
              || value instanceof LocalDateTime
              || value instanceof LocalTime;
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case BOOLEAN -> value instanceof Boolean;
      case ARRAY -> value instanceof Collection;
      case MAP -> value instanceof Map;
      case NULL, UNION -> false;
    };
  }
}
