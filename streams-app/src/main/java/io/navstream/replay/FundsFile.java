package io.navstream.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.navstream.avro.FundDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Reads the funds file: a JSON array of {@link FundDefinition}s, written with the Avro schema's
 * field names, and of retirements ({@code {"fundId": "F", "retired": true}}, optionally with an
 * effectiveTime).
 *
 * <p>The fields and their types come from the schema, so a field added to the contract is accepted
 * here without change. Decimals may be JSON numbers or strings and are parsed exactly; times are
 * ISO-8601 or epoch milliseconds; {@code direction} is matched case-insensitively, and anything
 * else becomes the enum's default (UNKNOWN) so that the topology rejects it with its reason, as it
 * would live. Entries with unknown fields, missing required fields or unusable values are reported
 * with their index and line, and skipped.
 */
final class FundsFile {
  static final String RETIRED = "retired";

  private static final Schema SCHEMA = FundDefinition.getClassSchema();
  private static final SpecificData DATA = SpecificData.getForClass(FundDefinition.class);
  private static final Set<String> RETIREMENT_FIELDS = Set.of("fundId", RETIRED, "effectiveTime");

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          // Decimals must never pass through a double.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * One usable entry of the file.
   *
   * @param index 0-based position in the array
   * @param line line where the entry starts
   * @param fundId the key
   * @param definition the definition, or null for a retirement
   * @param effectiveTime epoch milliseconds, or null when the entry has none
   */
  record Entry(int index, long line, String fundId, FundDefinition definition, Long effectiveTime) {
    boolean isRetirement() {
      return definition == null;
    }
  }

  private FundsFile() {}

  /** The usable entries of {@code file}, in file order; the others are reported to {@code bad}. */
  static List<Entry> read(Path file, BadRows bad) throws IOException {
    String name = file.toString();
    List<Entry> entries = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(Files.newBufferedReader(file))) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new ReplayInputException(name + ": expected a JSON array of fund definitions");
      }
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == null) {
          throw new ReplayInputException(name + ": unexpected end of file inside the array");
        }
        long line = parser.currentTokenLocation().getLineNr();
        JsonNode node = JSON.readTree(parser);
        List<String> problems = new ArrayList<>();
        Entry entry = parseEntry(index, line, node, problems);
        if (entry == null) {
          bad.report(name, line, "fund entry [" + index + "]: " + String.join("; ", problems));
        } else {
          entries.add(entry);
        }
        index++;
      }
      if (parser.nextToken() != null) {
        throw new ReplayInputException(name + ": unexpected content after the array");
      }
    } catch (NoSuchFileException e) {
      throw new ReplayInputException(name + ": no such file");
    } catch (JsonProcessingException e) {
      throw new ReplayInputException(
          name + ":" + e.getLocation().getLineNr() + ": not valid JSON: " + e.getOriginalMessage(),
          e);
    }
    return entries;
  }

  /**
   * The entries as events, in feeding order: entries without an effectiveTime first (stamped {@code
   * undatedTimestamp}, "before the first price"), then the others by effectiveTime; stable, so a
   * fund's successive entries keep their file order at equal times.
   */
  static List<ReplayEvent> toEvents(List<Entry> entries, long undatedTimestamp) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(
        Comparator.comparingLong(
            e -> e.effectiveTime() == null ? Long.MIN_VALUE : e.effectiveTime()));
    List<ReplayEvent> events = new ArrayList<>(sorted.size());
    for (Entry e : sorted) {
      long timestamp = e.effectiveTime() == null ? undatedTimestamp : e.effectiveTime();
      events.add(
          new ReplayEvent(ReplayEvent.Kind.DEFINITION, timestamp, e.fundId(), e.definition()));
    }
    return events;
  }

  /** The entry, or null with the reasons added to {@code problems}. */
  static Entry parseEntry(int index, long line, JsonNode node, List<String> problems) {
    if (!node.isObject()) {
      problems.add(
          "expected a JSON object, found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
      return null;
    }
    JsonNode retired = node.get(RETIRED);
    if (retired != null && !retired.isNull() && !retired.isBoolean()) {
      problems.add("field 'retired' must be true or false");
      return null;
    }
    if (retired != null && retired.asBoolean()) {
      return parseRetirement(index, line, node, problems);
    }
    return parseDefinition(index, line, node, problems);
  }

  private static Entry parseRetirement(int index, long line, JsonNode node, List<String> problems) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!RETIREMENT_FIELDS.contains(field)) {
        problems.add(
            "unknown field '"
                + field
                + "' in a retirement (allowed: fundId, retired,"
                + " effectiveTime)");
      }
    }
    Object fundId = field(node, SCHEMA.getField("fundId"), problems);
    Object effective = field(node, SCHEMA.getField("effectiveTime"), problems);
    if (!problems.isEmpty()) {
      return null;
    }
    return new Entry(index, line, (String) fundId, null, effectiveMillis(effective));
  }

  private static Entry parseDefinition(int index, long line, JsonNode node, List<String> problems) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (SCHEMA.getField(field) == null && !field.equals(RETIRED)) {
        problems.add("unknown field '" + field + "'");
      }
    }
    FundDefinition definition = new FundDefinition();
    for (Schema.Field f : SCHEMA.getFields()) {
      definition.put(f.pos(), field(node, f, problems));
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new Entry(
        index,
        line,
        definition.getFundId(),
        definition,
        effectiveMillis(definition.getEffectiveTime()));
  }

  /** A nested record (navPolicy), field by field like a definition; unknown fields are refused. */
  private static Object record(JsonNode value, Schema schema) {
    if (!value.isObject()) {
      throw new IllegalArgumentException("expected an object, found " + value);
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (schema.getField(name) == null) {
        problems.add("unknown field '" + name + "'");
      }
    }
    org.apache.avro.generic.IndexedRecord record =
        (org.apache.avro.generic.IndexedRecord) DATA.newRecord(null, schema);
    for (Schema.Field f : schema.getFields()) {
      record.put(f.pos(), field(value, f, problems));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return record;
  }

  private static Long effectiveMillis(Object effectiveTime) {
    return effectiveTime == null ? null : ((Instant) effectiveTime).toEpochMilli();
  }

  /** The value of {@code field} in {@code node}, converted for the schema; null when absent. */
  private static Object field(JsonNode node, Schema.Field field, List<String> problems) {
    JsonNode value = node.get(field.name());
    Schema schema = field.schema();
    boolean nullable = schema.isNullable();
    if (value == null || value.isNull()) {
      if (!nullable && field.hasDefaultValue()) {
        return DATA.getDefaultValue(field); // e.g. a split policy's factors
      }
      if (!nullable) {
        problems.add("missing required field '" + field.name() + "'");
      }
      return null;
    }
    if (schema.isUnion()) {
      schema =
          schema.getTypes().stream()
              .filter(s -> s.getType() != Schema.Type.NULL)
              .findFirst()
              .orElseThrow();
    }
    try {
      return convert(value, schema);
    } catch (IllegalArgumentException e) {
      problems.add("field '" + field.name() + "': " + e.getMessage());
      return null;
    }
  }

  private static Object convert(JsonNode value, Schema schema) {
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal) {
      if (value.isNumber()) {
        return ReplayValues.toContractScale(value.decimalValue(), value.asText());
      }
      if (value.isTextual()) {
        return ReplayValues.decimal(value.textValue());
      }
      throw new IllegalArgumentException("expected a number or a numeric string, found " + value);
    }
    if (logical instanceof LogicalTypes.TimestampMillis) {
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        return Instant.ofEpochMilli(ReplayValues.recordTime(value.longValue()));
      }
      if (value.isTextual()) {
        return Instant.ofEpochMilli(ReplayValues.timestamp(value.textValue()));
      }
      throw new IllegalArgumentException(
          "expected an ISO-8601 string or epoch milliseconds, found " + value);
    }
    return switch (schema.getType()) {
      case STRING -> {
        if (!value.isTextual()) {
          throw new IllegalArgumentException("expected a string, found " + value);
        }
        if (value.textValue().isBlank()) {
          throw new IllegalArgumentException("must not be blank");
        }
        yield value.textValue();
      }
      case ENUM -> DATA.createEnum(enumSymbol(value, schema), schema);
      case INT -> {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
          throw new IllegalArgumentException("expected a whole number, found " + value);
        }
        yield value.intValue();
      }
      case ARRAY -> {
        if (!value.isArray()) {
          throw new IllegalArgumentException("expected an array, found " + value);
        }
        List<Object> items = new ArrayList<>();
        value.forEach(item -> items.add(convert(item, schema.getElementType())));
        yield items;
      }
      case RECORD -> record(value, schema); // a nested record, such as navPolicy
      default ->
          throw new IllegalStateException(
              "funds file: no JSON mapping for Avro type " + schema + "; extend FundsFile.convert");
    };
  }

  /** The symbol matching {@code value} ignoring case, else the enum's default (UNKNOWN). */
  private static String enumSymbol(JsonNode value, Schema schema) {
    if (value.isTextual()) {
      String text = value.textValue().trim();
      for (String symbol : schema.getEnumSymbols()) {
        if (symbol.equalsIgnoreCase(text)) {
          return symbol;
        }
      }
    }
    return schema.getEnumDefault();
  }
}
