package io.navstream.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.util.Utf8;

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
 * long} timestamps). Stateless; reuse one {@link JsonGenerator} per output, with one {@link
 * Scratch}, for speed.
 */
public final class AvroJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private AvroJson() {}

  /**
   * Working space of one writer, which makes bulk output cheaper without changing a byte of it:
   * digits of decimals are formatted here, and the text of the last timestamp is remembered (the
   * outputs of one input share its time). Not thread-safe: one per output.
   */
  public static final class Scratch {
    private final char[] digits = new char[64];
    private Instant lastInstant;
    private String lastInstantText;
    /** Field names of each record schema met, quoted and encoded once. */
    private final Map<Schema, SerializableString[]> names = new IdentityHashMap<>();

    SerializableString[] names(Schema record) {
      return names.computeIfAbsent(record, r -> r.getFields().stream()
          .map(field -> new SerializedString(field.name()))
          .toArray(SerializableString[]::new));
    }

    String text(Instant instant) {
      if (!instant.equals(lastInstant)) {
        lastInstant = instant;
        lastInstantText = instant.toString();
      }
      return lastInstantText;
    }

    /** {@link Instant#toString()} of an epoch-millisecond timestamp. */
    String text(long epochMillis) {
      if (lastInstant == null || lastInstant.toEpochMilli() != epochMillis
          || lastInstant.getNano() % 1_000_000 != 0) {
        lastInstant = Instant.ofEpochMilli(epochMillis);
        lastInstantText = lastInstant.toString();
      }
      return lastInstantText;
    }

    /** Reused by {@link #transcode}. */
    private Utf8 string = new Utf8();
    private ByteBuffer bytes;
  }

  /** Writes {@code record} as one JSON object. */
  public static void write(JsonGenerator out, IndexedRecord record) throws IOException {
    write(out, record, new Scratch());
  }

  /** Writes {@code record} as one JSON object, with {@code scratch} as working space. */
  public static void write(JsonGenerator out, IndexedRecord record, Scratch scratch)
      throws IOException {
    writeRecord(out, record.getSchema(), record, scratch);
  }

  /** Writes {@code value}, whose Avro schema is {@code schema}, as JSON. */
  public static void write(JsonGenerator out, Schema schema, Object value) throws IOException {
    write(out, schema, value, new Scratch());
  }

  private static void write(JsonGenerator out, Schema schema, Object value, Scratch scratch)
      throws IOException {
    if (value == null) {
      out.writeNull();
      return;
    }
    switch (schema.getType()) {
      case RECORD -> writeRecord(out, schema, (IndexedRecord) value, scratch);
      case UNION -> write(out, unionBranch(schema, value), value, scratch);
      case ENUM, STRING -> out.writeString(value.toString());
      case BYTES, FIXED -> writeBytes(out, schema, value, scratch);
      case INT, LONG -> writeIntegral(out, schema, value, scratch);
      case FLOAT -> out.writeNumber(((Number) value).floatValue());
      case DOUBLE -> out.writeNumber(((Number) value).doubleValue());
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case NULL -> out.writeNull();
      case ARRAY -> {
        out.writeStartArray();
        for (Object element : (Collection<?>) value) {
          write(out, schema.getElementType(), element, scratch);
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          out.writeFieldName(entry.getKey().toString());
          write(out, schema.getValueType(), entry.getValue(), scratch);
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

  /**
   * Writes the Avro binary value that {@code in} holds next, written with {@code schema}, exactly
   * as {@link #write} writes that value once read into a SpecificRecord or GenericRecord, but
   * straight from the bytes: no record, BigDecimal or Instant is made. The bulk path of replay's
   * output files, where decoding every NAV update cost more than writing its JSON.
   */
  public static void transcode(JsonGenerator out, Schema schema, BinaryDecoder in, Scratch scratch)
      throws IOException {
    switch (schema.getType()) {
      case RECORD -> {
        out.writeStartObject();
        List<Schema.Field> fields = schema.getFields();
        SerializableString[] names = scratch.names(schema);
        for (int i = 0, n = fields.size(); i < n; i++) {
          out.writeFieldName(names[i]);
          transcode(out, fields.get(i).schema(), in, scratch);
        }
        out.writeEndObject();
      }
      case UNION -> transcode(out, schema.getTypes().get(in.readIndex()), in, scratch);
      case NULL -> {
        in.readNull();
        out.writeNull();
      }
      case ENUM -> out.writeString(schema.getEnumSymbols().get(in.readEnum()));
      case STRING -> {
        scratch.string = in.readString(scratch.string);
        out.writeString(scratch.string.toString());
      }
      case BYTES -> {
        scratch.bytes = in.readBytes(scratch.bytes);
        ByteBuffer b = scratch.bytes;
        transcodeBytes(out, schema, b.array(), b.arrayOffset() + b.position(), b.remaining(), scratch);
      }
      case FIXED -> {
        byte[] fixed = new byte[schema.getFixedSize()];
        in.readFixed(fixed);
        transcodeBytes(out, schema, fixed, 0, fixed.length, scratch);
      }
      case INT -> writeIntegral(out, schema.getLogicalType(), in.readInt(), scratch);
      case LONG -> writeIntegral(out, schema.getLogicalType(), in.readLong(), scratch);
      case FLOAT -> out.writeNumber(in.readFloat());
      case DOUBLE -> out.writeNumber(in.readDouble());
      case BOOLEAN -> out.writeBoolean(in.readBoolean());
      case ARRAY -> {
        out.writeStartArray();
        for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
          for (long i = 0; i < n; i++) {
            transcode(out, schema.getElementType(), in, scratch);
          }
        }
        out.writeEndArray();
      }
      case MAP -> {
        out.writeStartObject();
        for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
          for (long i = 0; i < n; i++) {
            out.writeFieldName(in.readString());
            transcode(out, schema.getValueType(), in, scratch);
          }
        }
        out.writeEndObject();
      }
    }
  }

  private static void transcodeBytes(JsonGenerator out, Schema schema, byte[] bytes, int offset,
      int length, Scratch scratch) throws IOException {
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
      char[] text = scratch.digits;
      int end = text.length - 1;
      int start = plainDigits(bytes, offset, length, decimal.getScale(), text, end);
      if (start < 0) {
        writeBytes(out, schema, ByteBuffer.wrap(bytes, offset, length), scratch);
      } else {
        text[end] = '"';
        text[--start] = '"';
        out.writeRawValue(text, start, text.length - start);
      }
    } else {
      out.writeBinary(bytes, offset, length);
    }
  }

  private static void writeRecord(
      JsonGenerator out, Schema schema, IndexedRecord record, Scratch scratch) throws IOException {
    out.writeStartObject();
    List<Schema.Field> fields = schema.getFields();
    SerializableString[] names = scratch.names(schema);
    for (int i = 0, n = fields.size(); i < n; i++) {
      Schema.Field field = fields.get(i);
      out.writeFieldName(names[i]);
      write(out, field.schema(), record.get(field.pos()), scratch);
    }
    out.writeEndObject();
  }

  private static void writeBytes(JsonGenerator out, Schema schema, Object value, Scratch scratch)
      throws IOException {
    if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
      BigDecimal number = value instanceof BigDecimal d ? d : decodeDecimal(schema, decimal, value);
      char[] text = scratch.digits;
      int end = text.length - 1;
      int start = plainDigits(number, text, end);
      if (start < 0) {
        out.writeString(number.toPlainString());
      } else {
        // Digits, a sign and a point never need escaping: the quoted string is written as is.
        text[end] = '"';
        text[--start] = '"';
        out.writeRawValue(text, start, text.length - start);
      }
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

  private static final long[] TEN_POWERS = {
    1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
    1_000_000_000L
  };
  private static final long LOW_32 = 0xFFFF_FFFFL;

  /**
   * {@link BigDecimal#toPlainString()} of {@code value}, written into the end of {@code digits}:
   * returns where it starts, or -1 when the value is outside the fast case (scale 0 to 18, integer
   * part within a long), for which the caller uses toPlainString itself. toPlainString converts the
   * whole unscaled BigInteger with repeated big divisions; here the magnitude, below 2^125, is split
   * into integer part and fraction by long divisions by at most 10^9, one per 32-bit limb.
   */
  static int plainDigits(BigDecimal value, char[] digits) {
    return plainDigits(value, digits, digits.length);
  }

  /** {@link #plainDigits(BigDecimal, char[])} ending just before {@code end}. */
  static int plainDigits(BigDecimal value, char[] digits, int end) {
    BigInteger unscaled = value.unscaledValue();
    if (unscaled.bitLength() > 125) {
      return -1;
    }
    boolean negative = unscaled.signum() < 0;
    BigInteger magnitude = negative ? unscaled.negate() : unscaled;
    return plainDigits(negative, magnitude.shiftRight(64).longValue(), magnitude.longValue(),
        value.scale(), digits, end);
  }

  /**
   * The plain digits of the decimal whose unscaled value is the Avro bytes {@code
   * bytes[offset..offset+length)} (big-endian two's complement) and whose scale is {@code scale};
   * -1 outside the fast case, as {@link #plainDigits(BigDecimal, char[], int)}.
   */
  static int plainDigits(byte[] bytes, int offset, int length, int scale, char[] digits, int end) {
    if (length < 1 || length > 16) {
      return -1;
    }
    boolean negative = bytes[offset] < 0;
    long hi = negative ? -1L : 0L; // sign-extended to 128 bits
    long lo = hi;
    for (int i = offset; i < offset + length; i++) {
      hi = hi << 8 | lo >>> 56;
      lo = lo << 8 | (bytes[i] & 0xFF);
    }
    if (negative) { // the magnitude: two's complement negation over 128 bits
      lo = ~lo + 1;
      hi = ~hi + (lo == 0 ? 1 : 0);
    }
    if (hi >>> 61 != 0) {
      return -1; // 2^125 or more
    }
    return plainDigits(negative, hi, lo, scale, digits, end);
  }

  /** The digits of a magnitude {@code hi·2^64 + lo} below 2^125 with a sign and a scale. */
  private static int plainDigits(boolean negative, long hi, long lo, int scale, char[] digits,
      int end) {
    if (scale < 0 || scale > 18 || end < 41) {
      return -1;
    }
    long[] limbs = {hi >>> 32, hi & LOW_32, lo >>> 32, lo & LOW_32}; // most significant first
    int low = Math.min(scale, 9);
    long fraction = divide(limbs, TEN_POWERS[low]);
    if (scale > 9) {
      fraction += divide(limbs, TEN_POWERS[scale - 9]) * TEN_POWERS[9];
    }
    if (limbs[0] != 0 || limbs[1] != 0 || limbs[2] > Integer.MAX_VALUE) {
      return -1; // an integer part beyond a long
    }
    long integer = limbs[2] << 32 | limbs[3];
    int at = end;
    if (scale > 0) {
      for (int i = 0; i < scale; i++) {
        digits[--at] = (char) ('0' + fraction % 10);
        fraction /= 10;
      }
      digits[--at] = '.';
    }
    do {
      digits[--at] = (char) ('0' + integer % 10);
      integer /= 10;
    } while (integer != 0);
    if (negative) {
      digits[--at] = '-';
    }
    return at;
  }

  /**
   * Divides the number in {@code limbs} (32 bits each, most significant first) by {@code divisor}
   * (at most 10^9) in place and returns the remainder. The remainder stays below 2^30, so each
   * step's {@code remainder << 32 | limb} fits a long.
   */
  private static long divide(long[] limbs, long divisor) {
    long remainder = 0;
    for (int i = 0; i < limbs.length; i++) {
      long current = remainder << 32 | limbs[i];
      limbs[i] = current / divisor;
      remainder = current % divisor;
    }
    return remainder;
  }

  private static BigDecimal decodeDecimal(Schema schema, LogicalTypes.Decimal decimal, Object raw) {
    Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
    if (raw instanceof GenericFixed fixed) {
      return conversion.fromFixed(fixed, schema, decimal);
    }
    return conversion.fromBytes(((ByteBuffer) raw).duplicate(), schema, decimal);
  }

  private static void writeIntegral(JsonGenerator out, Schema schema, Object value, Scratch scratch)
      throws IOException {
    LogicalType logical = schema.getLogicalType();
    if (logical == null || !(value instanceof Number number)) {
      // No logical type, or one already converted to a java.time value by SpecificData.
      if (value instanceof Number number) {
        out.writeNumber(number.longValue());
      } else if (value instanceof Instant instant) {
        out.writeString(scratch.text(instant));
      } else {
        out.writeString(value.toString());
      }
      return;
    }
    writeIntegral(out, logical, number.longValue(), scratch);
  }

  /** An int or long of logical type {@code logical} (null: none), as {@link #write} writes it. */
  private static void writeIntegral(JsonGenerator out, LogicalType logical, long raw,
      Scratch scratch) throws IOException {
    if (logical == null) {
      out.writeNumber(raw);
      return;
    }
    String text =
        switch (logical.getName()) {
          case "timestamp-millis" -> scratch.text(raw);
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
