package io.navstream.serde;

import static io.navstream.serde.Records.T0;
import static io.navstream.serde.Records.decimal;
import static io.navstream.serde.Records.fundDefinition;
import static io.navstream.serde.Records.fundState;
import static io.navstream.serde.Records.priceTick;
import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.avro.FundState;
import io.navstream.avro.FundStatus;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundControlKind;
import io.navstream.avro.internal.UnderlyingMark;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The deserializer's direct reader against Avro's own: equal records, field by field. */
class AvroDeserializerFastPathTest {
  private final AvroSerdes serdes = new AvroSerdes(new InMemorySchemaRegistry(), true);

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecordBase> void assertReadsAsAvroDoes(T record) throws IOException {
    Class<T> type = (Class<T>) record.getClass();
    String topic = type.getSimpleName();
    byte[] bytes = serdes.forValues(type).serializer().serialize(topic, record);
    T fast = serdes.forValues(type).deserializer().deserialize(topic, bytes);
    // And the fast reader itself read it (the deserializer would fall back to Avro's otherwise).
    AvroDeserializer.FastReader<T> reader =
        AvroDeserializer.FastReader.forSchema(record.getSchema(), record.getSpecificData());
    assertThat(reader).isNotNull();
    assertThat(reader.read(DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null)))
        .isEqualTo(record);
    T avro = new SpecificDatumReader<T>(record.getSchema(), record.getSchema(), record.getSpecificData())
        .read(null, DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null));
    assertThat(fast).isEqualTo(avro).isEqualTo(record);
    // Equal is not enough for decimals (scale) and strings (class): compare field by field.
    for (int i = 0; i < record.getSchema().getFields().size(); i++) {
      Object f = fast.get(i);
      Object a = avro.get(i);
      assertThat(f == null ? null : f.getClass()).isEqualTo(a == null ? null : a.getClass());
      if (f instanceof BigDecimal d) {
        assertThat(d.scale()).isEqualTo(((BigDecimal) a).scale());
      }
    }
  }

  @Test
  void everyKindOfRecordReadsAsAvroReadsIt() throws IOException {
    assertReadsAsAvroDoes(priceTick("BTC", "66450.123456789012345678", T0));
    assertReadsAsAvroDoes(fundDefinition("BTC3S"));
    assertReadsAsAvroDoes(fundState("BTC3S"));
    assertReadsAsAvroDoes(FundState.newBuilder(fundState("X")).setPendingDefinition(null)
        .setEquityAtLastRebalance(decimal("-1")).setNextScheduledRebalance(T0).build());
    assertReadsAsAvroDoes(new UnderlyingMark("BTC", null, T0));
    assertReadsAsAvroDoes(new UnderlyingMark("ÆTHER-€", decimal("0.000000000000000001"), T0));
    assertReadsAsAvroDoes(FundControl.newBuilder().setKind(FundControlKind.RETIRE).setFundId("F")
        .setDefinition(null).setSourceTopic(null).setSourcePartition(-1).setSourceOffset(-1L).build());
    Random random = new Random(5);
    for (int i = 0; i < 2_000; i++) {
      BigDecimal value = new BigDecimal(new BigInteger(1 + random.nextInt(126), random), 18);
      assertReadsAsAvroDoes(nav(random.nextBoolean() ? value : value.negate()));
    }
  }

  private static NavUpdate nav(BigDecimal value) {
    return NavUpdate.newBuilder().setFundId("F").setUnderlying("U").setEventTime(T0)
        .setPrice(value).setNav(value).setLeverage(value).setEquity(value).setShares(value)
        .setPositionQuantity(value).setCash(value).setStatus(FundStatus.DEPLETED).build();
  }
}
