package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundState;
import io.navstream.avro.FundStatus;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.RebalanceReason;
import io.navstream.avro.TradeSide;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T = Instant.parse("2025-01-05T00:00:00Z");

  private static BigDecimal d(String value) {
    return new BigDecimal(value).setScale(18);
  }

  private static FundDefinition definition() {
    return FundDefinition.newBuilder()
        .setFundId("BTC3L")
        .setUnderlying("BTC")
        .setDirection(Direction.LONG)
        .setTargetLeverage(d("3"))
        .setInitialNav(d("1"))
        .setInitialShares(d("1"))
        .setDailyRebalanceTime("00:00")
        .build();
  }

  @Test
  void decimalsArePlainStringsAndTimesIso() {
    NavUpdate nav =
        new NavUpdate(
            "BTC3L",
            "BTC",
            T,
            d("146.41"),
            d("2.8561"),
            d("3"),
            d("2.8561"),
            d("1"),
            d("-0.000000000000000001"),
            d("1E+3"),
            FundStatus.ACTIVE, d("10"), d("0.28561"));
    assertThat(AvroJson.toJson(nav))
        .isEqualTo(
            "{\"fundId\":\"BTC3L\",\"underlying\":\"BTC\",\"eventTime\":\"2025-01-05T00:00:00Z\","
                + "\"price\":\"146.410000000000000000\",\"nav\":\"2.856100000000000000\","
                + "\"leverage\":\"3.000000000000000000\",\"equity\":\"2.856100000000000000\","
                + "\"shares\":\"1.000000000000000000\","
                + "\"positionQuantity\":\"-0.000000000000000001\","
                + "\"cash\":\"1000.000000000000000000\",\"status\":\"ACTIVE\","
                + "\"adjustmentFactor\":\"10.000000000000000000\",\"adjustedNav\":\"0.285610000000000000\"}");
  }

  @Test
  void enumsByName() throws IOException {
    RebalanceInstruction instruction =
        RebalanceInstruction.newBuilder()
            .setInstructionId("BTC3L-2")
            .setSequence(2)
            .setFundId("BTC3L")
            .setUnderlying("BTC")
            .setEventTime(T.plusMillis(250))
            .setReason(RebalanceReason.DAILY)
            .setPrice(d("105"))
            .setNavBefore(d("115"))
            .setLeverageBefore(d("2.739130434782608696"))
            .setLeverageAfter(d("3"))
            .setFromQuantity(d("3"))
            .setToQuantity(d("3.285714285714285714"))
            .setDeltaQuantity(d("0.285714285714285714"))
            .setSide(TradeSide.BUY)
            .setNotional(d("30"))
            .setTradingFee(d("0"))
            .build();
    JsonNode json = JSON.readTree(AvroJson.toJson(instruction));
    assertThat(json.get("reason").textValue()).isEqualTo("DAILY");
    assertThat(json.get("side").textValue()).isEqualTo("BUY");
    assertThat(json.get("sequence").isIntegralNumber()).isTrue();
    assertThat(json.get("sequence").longValue()).isEqualTo(2);
    assertThat(json.get("eventTime").textValue()).isEqualTo("2025-01-05T00:00:00.250Z");
    assertThat(json.get("leverageBefore").textValue()).isEqualTo("2.739130434782608696");
  }

  @Test
  void nestedRecordsAreObjectsAndNullsNull() throws IOException {
    FundState state =
        FundState.newBuilder()
            .setFundId("BTC3L")
            .setUnderlying("BTC")
            .setStatus(FundStatus.PENDING)
            .setEventTime(T)
            .setShares(d("1"))
            .setPositionQuantity(d("0"))
            .setCash(d("1"))
            .setNextScheduledRebalance(T.plusSeconds(86_400))
            .setRebalanceSequence(0)
            .setCumulativeManagementFees(d("0"))
            .setCumulativeTradingFees(d("0"))
            .setCumulativeFunding(d("0"))
            .setDefinition(definition())
            .build();
    JsonNode json = JSON.readTree(AvroJson.toJson(state));
    assertThat(json.get("lastRebalancePrice").isNull()).isTrue();
    assertThat(json.get("lastRebalanceTime").isNull()).isTrue();
    assertThat(json.get("pendingDefinition").isNull()).isTrue();
    assertThat(json.get("nextScheduledRebalance").textValue()).isEqualTo("2025-01-06T00:00:00Z");
    JsonNode nested = json.get("definition");
    assertThat(nested.isObject()).isTrue();
    assertThat(nested.get("direction").textValue()).isEqualTo("LONG");
    assertThat(nested.get("targetLeverage").textValue()).isEqualTo("3.000000000000000000");
    assertThat(nested.get("effectiveTime").isNull()).isTrue();
    assertThat(nested.get("dailyRebalanceTime").textValue()).isEqualTo("00:00");
    // Field order and names are the schema's.
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyElementsOf(
            FundState.getClassSchema().getFields().stream().map(Schema.Field::name).toList());
  }

  @Test
  void handlesGenericRecordsWithoutConversions() throws IOException {
    // What a GenericDatumReader without conversions returns: ByteBuffer decimals, long times.
    Schema decimal = LogicalTypes.decimal(38, 18).addToSchema(Schema.create(Schema.Type.BYTES));
    Schema millis = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema schema =
        SchemaBuilder.record("Sample")
            .fields()
            .name("amount")
            .type(decimal)
            .noDefault()
            .name("at")
            .type(millis)
            .noDefault()
            .name("maybe")
            .type()
            .optional()
            .type(decimal)
            .name("choice")
            .type()
            .unionOf()
            .stringType()
            .and()
            .longType()
            .endUnion()
            .noDefault()
            .name("tags")
            .type()
            .array()
            .items()
            .stringType()
            .noDefault()
            .name("attrs")
            .type()
            .map()
            .values()
            .intType()
            .noDefault()
            .name("raw")
            .type()
            .bytesType()
            .noDefault()
            .endRecord();
    ByteBuffer encoded =
        new Conversions.DecimalConversion()
            .toBytes(d("0.5"), decimal, LogicalTypes.decimal(38, 18));
    GenericRecord record = new GenericData.Record(schema);
    record.put("amount", encoded);
    record.put("at", T.toEpochMilli());
    record.put("maybe", null);
    record.put("choice", 7L);
    record.put("tags", List.of("a", "b"));
    record.put("attrs", Map.of("k", 1));
    record.put("raw", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    JsonNode json = JSON.readTree(AvroJson.toJson(record));
    assertThat(json.get("amount").textValue()).isEqualTo("0.500000000000000000");
    assertThat(encoded.remaining()).as("the buffer was not consumed").isPositive();
    assertThat(json.get("at").textValue()).isEqualTo("2025-01-05T00:00:00Z");
    assertThat(json.get("maybe").isNull()).isTrue();
    assertThat(json.get("choice").longValue()).isEqualTo(7);
    assertThat(json.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(json.get("attrs").get("k").intValue()).isEqualTo(1);
    assertThat(json.get("raw").textValue()).isEqualTo("AQID");
  }

  @Test
  void fastDecimalDigitsAreToPlainStringExactly() {
    java.util.Random random = new java.util.Random(11);
    char[] digits = new char[64];
    java.util.List<BigDecimal> values = new java.util.ArrayList<>();
    for (String edge : new String[] {"0", "0E-18", "-1E-18", "1", "-1", "0.5", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808.000000000000000001", "10.000000000000000000",
        "99999999999999999999.999999999999999999", "12.3456789", "1E+5", "1E-19"}) {
      values.add(new BigDecimal(edge));
    }
    for (int i = 0; i < 100_000; i++) {
      BigDecimal v = new BigDecimal(new java.math.BigInteger(random.nextInt(128), random),
          random.nextInt(22) - 2);
      values.add(random.nextBoolean() ? v : v.negate());
    }
    int fast = 0;
    for (BigDecimal v : values) {
      int start = AvroJson.plainDigits(v, digits);
      if (start >= 0) {
        fast++;
        assertThat(new String(digits, start, digits.length - start)).as("%s", v.toString())
            .isEqualTo(v.toPlainString());
      }
    }
    assertThat(fast).isGreaterThan(values.size() / 2);
  }

  /** The JSON {@link AvroJson#transcode} writes for {@code record} encoded as Avro binary. */
  private static String transcoded(IndexedRecord record, GenericData model) throws IOException {
    ByteArrayOutputStream binary = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(binary, null);
    new GenericDatumWriter<Object>(record.getSchema(), model).write(record, encoder);
    encoder.flush();
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(binary.toByteArray(), null);
    StringWriter text = new StringWriter();
    try (JsonGenerator out = new JsonFactory().createGenerator(text)) {
      AvroJson.transcode(out, record.getSchema(), decoder, new AvroJson.Scratch());
    }
    assertThat(decoder.isEnd()).as("every byte read").isTrue();
    return text.toString();
  }

  @Test
  void transcodingTheBinaryWritesWhatWritingTheRecordWrites() throws IOException {
    NavUpdate nav = new NavUpdate("BTC3L", "BTC", T.plusMillis(7), d("146.41"), d("2.8561"),
        d("3"), d("-2.8561"), d("1"), d("-0.000000000000000001"), d("99999999999999999999.5"),
        FundStatus.ACTIVE, d("10"), d("0.28561"));
    FundState state = FundState.newBuilder()
        .setFundId("BTC3L").setUnderlying("BTC").setStatus(FundStatus.PENDING).setEventTime(T)
        .setShares(d("1")).setPositionQuantity(d("0")).setCash(d("1"))
        .setNextScheduledRebalance(T.plusSeconds(86_400)).setRebalanceSequence(0)
        .setCumulativeManagementFees(d("0")).setCumulativeTradingFees(d("0"))
        .setCumulativeFunding(d("-12.5")).setDefinition(definition())
        .setLastRebalancePrice(d("105")).build();
    GenericData specific = SpecificData.getForSchema(NavUpdate.getClassSchema());
    for (IndexedRecord record : List.<IndexedRecord>of(nav, state)) {
      assertThat(transcoded(record, specific)).isEqualTo(AvroJson.toJson(record));
    }

    // Every other type, as a GenericDatumReader without conversions holds it.
    Schema decimal = LogicalTypes.decimal(38, 18).addToSchema(Schema.create(Schema.Type.BYTES));
    Schema wide = LogicalTypes.decimal(60, 30).addToSchema(Schema.create(Schema.Type.BYTES));
    Schema fixedDecimal = LogicalTypes.decimal(20, 4).addToSchema(Schema.createFixed("Money", null, "x", 9));
    Schema date = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    Schema micros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
    Schema color = Schema.createEnum("Color", null, "x", List.of("RED", "GREEN"));
    Schema schema = SchemaBuilder.record("Everything").namespace("x").fields()
        .name("amount").type(decimal).noDefault()
        .name("huge").type(wide).noDefault()
        .name("money").type(fixedDecimal).noDefault()
        .name("day").type(date).noDefault()
        .name("at").type(micros).noDefault()
        .name("maybe").type().optional().type(decimal)
        .name("choice").type().unionOf().stringType().and().longType().endUnion().noDefault()
        .name("tags").type().array().items().stringType().noDefault()
        .name("attrs").type().map().values().intType().noDefault()
        .name("raw").type().bytesType().noDefault()
        .name("ratio").type().floatType().noDefault()
        .name("weight").type().doubleType().noDefault()
        .name("flag").type().booleanType().noDefault()
        .name("count").type().intType().noDefault()
        .name("color").type(color).noDefault()
        .name("text").type().stringType().noDefault()
        .endRecord();
    Conversions.DecimalConversion decimals = new Conversions.DecimalConversion();
    GenericRecord record = new GenericData.Record(schema);
    record.put("amount", decimals.toBytes(d("-0.5"), decimal, decimal.getLogicalType()));
    record.put("huge", decimals.toBytes(new BigDecimal("-123456789012345678901234567890.5")
        .setScale(30), wide, wide.getLogicalType()));
    record.put("money", decimals.toFixed(new BigDecimal("12.3400"), fixedDecimal,
        fixedDecimal.getLogicalType()));
    record.put("day", 20_000);
    record.put("at", T.toEpochMilli() * 1000 + 5);
    record.put("maybe", null);
    record.put("choice", "seven");
    record.put("tags", List.of("a", "b"));
    record.put("attrs", Map.of("k", 1));
    record.put("raw", ByteBuffer.wrap(new byte[] {1, 2, 3}));
    record.put("ratio", 0.25f);
    record.put("weight", -1.5e-9);
    record.put("flag", true);
    record.put("count", -3);
    record.put("color", new GenericData.EnumSymbol(color, "GREEN"));
    record.put("text", "quote \" and é");
    assertThat(transcoded(record, GenericData.get())).isEqualTo(AvroJson.toJson(record));
    record.put("maybe", decimals.toBytes(d("7"), decimal, decimal.getLogicalType()));
    record.put("choice", 7L);
    assertThat(transcoded(record, GenericData.get())).isEqualTo(AvroJson.toJson(record))
        .contains("\"maybe\":\"7.000000000000000000\"", "\"choice\":7",
            "\"huge\":\"-123456789012345678901234567890.500000000000000000000000000000\"");
  }

  @Test
  void fastDecimalDigitsFromAvroBytesAreToPlainStringExactly() {
    java.util.Random random = new java.util.Random(13);
    char[] digits = new char[64];
    int fast = 0;
    for (int i = 0; i < 100_000; i++) {
      java.math.BigInteger unscaled = new java.math.BigInteger(random.nextInt(130), random);
      BigDecimal v = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(),
          random.nextInt(19));
      byte[] bytes = v.unscaledValue().toByteArray();
      int start = AvroJson.plainDigits(bytes, 0, bytes.length, v.scale(), digits, digits.length);
      if (start >= 0) {
        fast++;
        assertThat(new String(digits, start, digits.length - start)).as("%s", v)
            .isEqualTo(v.toPlainString());
      }
      // Below 2^125 the bytes take the fast path exactly when the BigDecimal does.
      if (unscaled.bitLength() <= 125) {
        assertThat(start >= 0).as("%s", v).isEqualTo(AvroJson.plainDigits(v, new char[64]) >= 0);
      }
    }
    assertThat(fast).isGreaterThan(10_000);
  }
}
