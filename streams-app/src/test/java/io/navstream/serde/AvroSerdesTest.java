package io.navstream.serde;

import static io.navstream.serde.Records.T0;
import static io.navstream.serde.Records.decimal;
import static io.navstream.serde.Records.fundDefinition;
import static io.navstream.serde.Records.fundState;
import static io.navstream.serde.Records.priceTick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundState;
import io.navstream.avro.PriceTick;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerdes serdes = new AvroSerdes(registry, true);

  @Test
  void priceTickRoundTripsInConfluentWireFormat() throws IOException {
    Serde<PriceTick> serde = serdes.forValues(PriceTick.class);
    PriceTick tick = priceTick("BTC", "66450.123456789012345678", T0);

    byte[] bytes = serde.serializer().serialize("prices", tick);

    int id = registry.lookup("prices-value", PriceTick.getClassSchema());
    assertThat(id).isEqualTo(1);
    assertThat(bytes[0]).as("magic byte").isZero();
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("schema id").isEqualTo(id);
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(tick));

    PriceTick read = serde.deserializer().deserialize("prices", bytes);
    assertThat(read).isEqualTo(tick);
    assertThat(read.getPrice()).isEqualByComparingTo("66450.123456789012345678");
    assertThat(read.getPrice().scale()).isEqualTo(18);
    assertThat(read.getEventTime()).isEqualTo(T0);
  }

  @Test
  void fundStateWithNestedRecordsEnumsAndNullsRoundTrips() {
    Serde<FundState> serde = serdes.forValues(FundState.class);
    FundState state = fundState("BTC3S");

    FundState read =
        serde.deserializer().deserialize("fund-state", serde.serializer().serialize("fund-state", state));

    assertThat(read).isEqualTo(state);
    assertThat(read.getDefinition().getDirection()).isEqualTo(state.getDefinition().getDirection());
    assertThat(read.getEquityAtLastRebalance()).isNull();
    assertThat(read.getLastRebalancePrice()).isEqualByComparingTo("66450.25");
    assertThat(read.getPendingDefinition().getTargetLeverage()).isEqualByComparingTo("2");
    assertThat(registry.subjects()).containsExactly("fund-state-value");
  }

  @Test
  void nullAndEmptyPayloadsAreTombstones() {
    Serde<PriceTick> serde = serdes.forValues(PriceTick.class);

    assertThat(serde.serializer().serialize("prices", null)).isNull();
    assertThat(serde.deserializer().deserialize("prices", null)).isNull();
    assertThat(serde.deserializer().deserialize("prices", new byte[0])).isNull();
    assertThat(registry.subjects()).as("a tombstone registers nothing").isEmpty();
  }

  @Test
  void wrongMagicByteIsReportedWithTopicAndByte() {
    byte[] json = "{\"symbol\":\"BTC\"}".getBytes();

    assertThatThrownBy(() -> serdes.forValues(PriceTick.class).deserializer().deserialize("prices", json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'prices'")
        .hasMessageContaining("0x7b")
        .hasMessageContaining("magic byte");
  }

  @Test
  void payloadShorterThanTheHeaderIsReported() {
    assertThatThrownBy(() ->
            serdes.forValues(PriceTick.class).deserializer().deserialize("prices", new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'prices'")
        .hasMessageContaining("3 byte(s)");
  }

  @Test
  void unknownSchemaIdIsReportedWithTheId() {
    byte[] bytes = {0, 0, 0, 0, 99, 2, 'x'};

    assertThatThrownBy(() -> serdes.forValues(PriceTick.class).deserializer().deserialize("prices", bytes))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("topic 'prices'")
        .hasMessageContaining("schema id 99");
  }

  @Test
  void truncatedAvroBodyIsReportedWithTopicAndId() {
    byte[] bytes = serdes.forValues(PriceTick.class).serializer()
        .serialize("prices", priceTick("BTC", "1", T0));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 4);

    assertThatThrownBy(() -> serdes.forValues(PriceTick.class).deserializer().deserialize("prices", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'prices'")
        .hasMessageContaining("schema id 1")
        .hasMessageContaining(PriceTick.class.getName());
  }

  @Test
  void keysUseTheKeySubject() {
    Serde<PriceTick> keys = serdes.forKeys(PriceTick.class);
    PriceTick tick = priceTick("ETH", "3000", T0);

    byte[] bytes = keys.serializer().serialize("ticks-by-tick", tick);

    assertThat(registry.subjects()).containsExactly("ticks-by-tick-key");
    assertThat(keys.deserializer().deserialize("ticks-by-tick", bytes)).isEqualTo(tick);
  }

  @Test
  void serdesAreSharedPerClassAndConfigureAndCloseAreHarmless() {
    Serde<PriceTick> serde = serdes.forValues(PriceTick.class);
    assertThat(serdes.forValues(PriceTick.class)).isSameAs(serde);
    assertThat(serdes.forKeys(PriceTick.class)).isNotSameAs(serde);

    serde.configure(Map.of("schema.registry.url", "http://ignored"), false);
    serde.close();

    PriceTick tick = priceTick("BTC", "1.5", T0);
    assertThat(serde.deserializer().deserialize("prices", serde.serializer().serialize("prices", tick)))
        .isEqualTo(tick);
  }

  @Test
  void anyValueSerializerWritesUnderTheSourceTopicsSubject() {
    FundDefinition definition = fundDefinition("BTC3S");
    PriceTick tick = priceTick("BTC", "2", T0);

    byte[] rejectedDefinition = serdes.anyValueSerializer().serialize("fund-definitions", definition);
    byte[] rejectedTick = serdes.anyValueSerializer().serialize("prices", tick);

    assertThat(registry.subjects()).containsExactly("fund-definitions-value", "prices-value");
    assertThat(rejectedDefinition)
        .isEqualTo(serdes.forValues(FundDefinition.class).serializer().serialize("fund-definitions", definition));
    assertThat(serdes.forValues(PriceTick.class).deserializer().deserialize("prices", rejectedTick))
        .isEqualTo(tick);
    assertThat(serdes.anyValueSerializer().serialize("prices", null)).isNull();
  }

  @Test
  void decimalWithMoreDigitsThanTheSchemasScaleNamesTopicAndExpectedScale() {
    PriceTick tick =
        new PriceTick("BTC", new BigDecimal("1.00000000000000000001"), T0); // scale 20

    assertThatThrownBy(() -> serdes.forValues(PriceTick.class).serializer().serialize("prices", tick))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'prices'")
        .hasMessageContaining("have scale 18")
        .hasMessageContaining("scale 20");
  }

  @Test
  void aFailedRecordLeavesNoBytesBehindForTheNextOneOnTheSameThread() {
    Serde<PriceTick> serde = serdes.forValues(PriceTick.class);
    PriceTick bad = new PriceTick("BTC", new BigDecimal("1.00000000000000000001"), T0);
    PriceTick good = priceTick("ETH", "3000.5", T0);
    byte[] expected = serde.serializer().serialize("prices", good);

    assertThatThrownBy(() -> serde.serializer().serialize("prices", bad))
        .isInstanceOf(SerializationException.class);
    byte[] afterFailure = serde.serializer().serialize("prices", good);

    assertThat(afterFailure).isEqualTo(expected);
    assertThat(serde.deserializer().deserialize("prices", afterFailure)).isEqualTo(good);
  }

  @Test
  void aDecimalWithFewerDigitsIsWidenedToScale18WithoutLoss() {
    // Avro 1.12 rescales when nothing is lost; only rounding is refused (see the test above).
    Serde<PriceTick> serde = serdes.forValues(PriceTick.class);
    PriceTick tick = new PriceTick("BTC", new BigDecimal("1.25"), T0);

    PriceTick read = serde.deserializer().deserialize("prices", serde.serializer().serialize("prices", tick));

    assertThat(read.getPrice()).isEqualTo(new BigDecimal("1.250000000000000000"));
  }

  @Test
  void missingRequiredFieldNamesTopicAndField() {
    PriceTick tick = new PriceTick(null, decimal("1"), T0);

    assertThatThrownBy(() -> serdes.forValues(PriceTick.class).serializer().serialize("prices", tick))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'prices'")
        .hasMessageContaining("symbol");
  }

  @Test
  void lookupOnlySerdesFailClearlyUntilTheSchemaIsRegistered() {
    AvroSerdes lookupOnly = new AvroSerdes(registry, false);
    PriceTick tick = priceTick("BTC", "1", T0);

    assertThatThrownBy(() -> lookupOnly.forValues(PriceTick.class).serializer().serialize("prices", tick))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("'prices-value'")
        .hasMessageContaining("Auto-registration is off");
    assertThat(registry.subjects()).as("lookup never registers").isEmpty();

    int id = registry.register("prices-value", PriceTick.getClassSchema());
    byte[] bytes = lookupOnly.forValues(PriceTick.class).serializer().serialize("prices", tick);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
  }

  @Test
  void theRegistryIsCalledOnlyForTheFirstRecordOfEachTopic() {
    CountingRegistry counting = new CountingRegistry(registry);
    AvroSerdes counted = new AvroSerdes(counting, true);
    Serde<PriceTick> serde = counted.forValues(PriceTick.class);

    for (int i = 0; i < 100; i++) {
      byte[] bytes = serde.serializer().serialize("prices", priceTick("BTC", String.valueOf(i), T0));
      serde.deserializer().deserialize("prices", bytes);
    }
    serde.serializer().serialize("prices-replay", priceTick("BTC", "1", T0));

    assertThat(counting.registerCalls).as("one per topic").hasValue(2);
    assertThat(counting.schemaByIdCalls).as("one per writer id").hasValue(1);
  }

  private static byte[] plainAvro(SpecificRecordBase record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecordBase>(record.getSchema(), record.getSpecificData())
        .write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
