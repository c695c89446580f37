package io.navstream.serde;

import static io.navstream.serde.Records.T0;
import static io.navstream.serde.Records.decimal;
import static io.navstream.serde.Records.fundDefinition;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Data written with other versions of a schema reads into the current generated class. */
class SchemaEvolutionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerdes serdes = new AvroSerdes(registry, true);

  @Test
  void olderWriterWithoutOptionalFieldsReadsWithTheDefaults() throws IOException {
    Schema older = withoutFields(FundDefinition.getClassSchema(), "managementFeeDaily", "tradingFeeRate");
    int olderId = registry.register("fund-definitions-value", older);
    GenericRecord written = new GenericData.Record(older);
    written.put("fundId", "BTC3L");
    written.put("underlying", "BTC");
    written.put("direction", new GenericData.EnumSymbol(older.getField("direction").schema(), "LONG"));
    written.put("targetLeverage", decimal("3"));
    written.put("initialNav", decimal("100"));
    written.put("initialShares", decimal("1000"));
    written.put("effectiveTime", T0);
    written.put("thresholdMove", decimal("0.33"));

    FundDefinition read = serdes.forValues(FundDefinition.class).deserializer()
        .deserialize("fund-definitions", confluentBytes(olderId, written));

    assertThat(read.getFundId()).isEqualTo("BTC3L");
    assertThat(read.getDirection()).isEqualTo(Direction.LONG);
    assertThat(read.getTargetLeverage()).isEqualByComparingTo("3");
    assertThat(read.getEffectiveTime()).isEqualTo(T0);
    assertThat(read.getThresholdMove()).isEqualByComparingTo("0.33");
    assertThat(read.getManagementFeeDaily()).as("default of the missing field").isNull();
    assertThat(read.getTradingFeeRate()).as("default of the missing field").isNull();

    // The current schema is a BACKWARD-compatible next version of the older one.
    FundDefinition current = fundDefinition("BTC3S");
    byte[] bytes = serdes.forValues(FundDefinition.class).serializer().serialize("fund-definitions", current);
    assertThat(registry.versions("fund-definitions-value"))
        .containsExactly(older, FundDefinition.getClassSchema());
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isNotEqualTo(olderId);
  }

  @Test
  void newerWriterWithAnExtraFieldAndEnumSymbolReadsIntoTheCurrentClass() throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(FundDefinition.getClassSchema().toString());
    ArrayNode fields = (ArrayNode) json.get("fields");
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).get("name").asText().equals("direction")) {
        ((ArrayNode) fields.get(i).get("type").get("symbols")).add("NEUTRAL");
      }
    }
    fields.addObject().put("name", "comment").put("type", "string").put("default", "");
    Schema newer = new Schema.Parser().parse(json.toString());
    int newerId = registry.register("fund-definitions-value", newer);
    GenericRecord written = new GenericData.Record(newer);
    written.put("fundId", "BTC0N");
    written.put("underlying", "BTC");
    written.put("direction", new GenericData.EnumSymbol(newer.getField("direction").schema(), "NEUTRAL"));
    written.put("targetLeverage", decimal("1"));
    written.put("initialNav", decimal("100"));
    written.put("initialShares", decimal("1000"));
    written.put("comment", "a symbol this reader does not know");

    FundDefinition read = serdes.forValues(FundDefinition.class).deserializer()
        .deserialize("fund-definitions", confluentBytes(newerId, written));

    assertThat(read.getFundId()).isEqualTo("BTC0N");
    assertThat(read.getDirection()).as("the enum's default").isEqualTo(Direction.UNKNOWN);
    assertThat(read.getInitialNav()).isEqualByComparingTo("100");
  }

  @Test
  void eachWriterVersionGetsItsOwnReader() throws IOException {
    Schema older = withoutFields(FundDefinition.getClassSchema(), "tradingFeeRate");
    int olderId = registry.register("fund-definitions-value", older);
    GenericRecord oldRecord = new GenericData.Record(older);
    oldRecord.put("fundId", "OLD");
    oldRecord.put("underlying", "ETH");
    oldRecord.put("direction", new GenericData.EnumSymbol(older.getField("direction").schema(), "SHORT"));
    oldRecord.put("targetLeverage", decimal("2"));
    oldRecord.put("initialNav", decimal("50"));
    oldRecord.put("initialShares", decimal("10"));
    FundDefinition current = fundDefinition("NEW");
    var serde = serdes.forValues(FundDefinition.class);
    byte[] newBytes = serde.serializer().serialize("fund-definitions", current);
    byte[] oldBytes = confluentBytes(olderId, oldRecord);

    // Interleaved, so that a reader cached for one id must not be used for the other.
    for (int i = 0; i < 3; i++) {
      assertThat(serde.deserializer().deserialize("fund-definitions", oldBytes).getFundId()).isEqualTo("OLD");
      assertThat(serde.deserializer().deserialize("fund-definitions", newBytes)).isEqualTo(current);
    }
  }

  @Test
  void priceTickDataFromAnotherTopicVersionStillMatchesByName() {
    // The same class under two subjects: one id, readable from both topics.
    var serde = serdes.forValues(PriceTick.class);
    PriceTick tick = Records.priceTick("SOL", "150.5", T0);

    byte[] a = serde.serializer().serialize("prices", tick);
    byte[] b = serde.serializer().serialize("prices-backfill", tick);

    assertThat(a).isEqualTo(b);
    assertThat(serde.deserializer().deserialize("prices-backfill", a)).isEqualTo(tick);
  }

  private static Schema withoutFields(Schema schema, String... names) throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
    ArrayNode fields = (ArrayNode) json.get("fields");
    for (String name : names) {
      for (int i = fields.size() - 1; i >= 0; i--) {
        if (fields.get(i).get("name").asText().equals(name)) {
          fields.remove(i);
        }
      }
    }
    return new Schema.Parser().parse(json.toString());
  }

  /** A record in Confluent's wire format, written with a generic writer as another producer would. */
  private static byte[] confluentBytes(int schemaId, GenericRecord record) throws IOException {
    GenericData model = new GenericData();
    model.addLogicalTypeConversion(new Conversions.DecimalConversion());
    model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema(), model).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
