package io.navstream.serde;

import static io.navstream.serde.Records.T0;
import static io.navstream.serde.Records.decimal;
import static io.navstream.serde.Records.fundDefinition;
import static io.navstream.serde.Records.fundState;
import static io.navstream.serde.Records.priceTick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.avro.FundState;
import io.navstream.avro.FundStatus;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PriceTick;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.RebalanceReason;
import io.navstream.avro.TradeSide;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundControlKind;
import io.navstream.avro.internal.UnderlyingMark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The serializer's field-by-field writer against Avro's own: the same bytes, the same failures. */
class AvroSerializerFastPathTest {
  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistry(), true);

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecordBase> byte[] serialized(T record) {
    // A topic per class: the registry checks compatibility within a subject.
    String topic = record.getClass().getSimpleName();
    return serdes.forValues((Class<T>) record.getClass()).serializer().serialize(topic, record);
  }

  private static byte[] avro(SpecificRecordBase record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
    new SpecificDatumWriter<>(record.getSchema(), record.getSpecificData()).write(record, encoder);
    return bytes.toByteArray();
  }

  private void assertSameBytesAsAvro(SpecificRecordBase record) throws IOException {
    byte[] bytes = serialized(record);
    // The fast writer itself wrote it (the serializer would fall back to Avro's otherwise).
    AvroSerializer.FastWriter writer = AvroSerializer.FastWriter.forSchema(record.getSchema());
    assertThat(writer).isNotNull();
    ByteArrayOutputStream direct = new ByteArrayOutputStream();
    boolean written = writer.write(record, EncoderFactory.get().directBinaryEncoder(direct, null));
    if (record.getSchema().getField("price") == null
        || ((BigDecimal) record.get(record.getSchema().getField("price").pos())).scale() == 18) {
      assertThat(written).isTrue();
      assertThat(direct.toByteArray()).isEqualTo(avro(record));
    }
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).as("%s", record).isEqualTo(avro(record));
  }

  @Test
  void everyKindOfRecordIsWrittenAsAvroWritesIt() throws IOException {
    assertSameBytesAsAvro(priceTick("BTC", "66450.123456789012345678", T0));
    assertSameBytesAsAvro(fundDefinition("BTC3S"));
    assertSameBytesAsAvro(fundState("BTC3S"));
    assertSameBytesAsAvro(FundState.newBuilder(fundState("X")).setPendingDefinition(null)
        .setEquityAtLastRebalance(decimal("-1")).setNextScheduledRebalance(T0).build());
    assertSameBytesAsAvro(new UnderlyingMark("BTC", null, T0));
    assertSameBytesAsAvro(new UnderlyingMark("ÆTHER-€", decimal("0.000000000000000001"), T0));
    assertSameBytesAsAvro(FundControl.newBuilder().setKind(FundControlKind.DEFINE).setFundId("F")
        .setDefinition(fundDefinition("F")).setSourceTopic("fund-definitions")
        .setSourcePartition(3).setSourceOffset(1L << 40).build());
    assertSameBytesAsAvro(RebalanceInstruction.newBuilder().setInstructionId("F-1").setSequence(1)
        .setFundId("F").setUnderlying("BTC").setEventTime(T0).setReason(RebalanceReason.BAND)
        .setPrice(decimal("1")).setNavBefore(decimal("2")).setLeverageBefore(decimal("3"))
        .setLeverageAfter(decimal("4")).setFromQuantity(decimal("-5")).setToQuantity(decimal("6"))
        .setDeltaQuantity(decimal("11")).setSide(TradeSide.BUY).setNotional(decimal("7"))
        .setTradingFee(decimal("0")).build());
  }

  @Test
  void decimalsOfEveryMagnitudeAndSign() throws IOException {
    Random random = new Random(3);
    List<String> edges = List.of("0", "-0.000000000000000001", "99999999999999999999.999999999999999999",
        "-99999999999999999999.999999999999999999", "0.5", "-128", "127", "9223372036.854775807",
        "-9223372036.854775808");
    for (String edge : edges) {
      assertSameBytesAsAvro(nav(decimal(edge)));
    }
    for (int i = 0; i < 5_000; i++) {
      BigDecimal value = new BigDecimal(new java.math.BigInteger(1 + random.nextInt(126), random), 18);
      assertSameBytesAsAvro(nav(random.nextBoolean() ? value : value.negate()));
    }
  }

  @Test
  void whatAvroRescalesOrRefusesIsLeftToAvro() throws IOException {
    // Fewer decimals: Avro pads to scale 18, so the bytes are those of the padded value.
    assertSameBytesAsAvro(nav(new BigDecimal("1.5")));
    // Too many digits or decimals: the same refusal as ever.
    PriceTick tooPrecise = new PriceTick("BTC", new BigDecimal("100000000000000000000"), T0);
    assertThatThrownBy(() -> serialized(tooPrecise)).hasMessageContaining("precision");
    PriceTick tooFine = new PriceTick("BTC", new BigDecimal("1.0000000000000000001"), T0);
    assertThatThrownBy(() -> serialized(tooFine)).hasMessageContaining("scale 19");
    PriceTick noSymbol = new PriceTick(null, decimal("1"), T0);
    assertThatThrownBy(() -> serialized(noSymbol)).hasMessageContaining("symbol");
    // And the next record is written whole, with nothing left of the failed one.
    assertSameBytesAsAvro(priceTick("ETH", "2", T0));
  }

  private static NavUpdate nav(BigDecimal value) {
    return NavUpdate.newBuilder().setFundId("F").setUnderlying("U").setEventTime(T0)
        .setPrice(value).setNav(value).setLeverage(value).setEquity(value).setShares(value)
        .setPositionQuantity(value).setCash(value).setStatus(FundStatus.ACTIVE).build();
  }
}
