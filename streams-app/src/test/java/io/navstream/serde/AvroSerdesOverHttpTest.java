package io.navstream.serde;

import static io.navstream.serde.Records.T0;
import static io.navstream.serde.Records.priceTick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.avro.PriceTick;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The serdes over the HTTP client and a fake Confluent registry: one call per topic or id. */
class AvroSerdesOverHttpTest {
  private static final int RECORDS = 50;

  private FakeRegistryServer server;

  @BeforeEach
  void startServer() throws IOException {
    server = FakeRegistryServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void manySerializationsRegisterOnceAndManyDeserializationsFetchOnce() {
    Serde<PriceTick> producer =
        new AvroSerdes(SchemaRegistries.connect(RegistrySettings.of(server.url())), true)
            .forValues(PriceTick.class);
    List<PriceTick> ticks = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      PriceTick tick = priceTick("BTC", "6645" + i + ".5", T0.plusSeconds(i));
      ticks.add(tick);
      payloads.add(producer.serializer().serialize("prices", tick));
    }
    int id = ByteBuffer.wrap(payloads.get(0), 1, 4).getInt();

    // A consumer in another process: its own client, nothing cached yet.
    Serde<PriceTick> consumer =
        new AvroSerdes(SchemaRegistries.connect(RegistrySettings.of(server.url())), true)
            .forValues(PriceTick.class);
    for (int i = 0; i < RECORDS; i++) {
      assertThat(consumer.deserializer().deserialize("prices", payloads.get(i))).isEqualTo(ticks.get(i));
    }

    assertThat(id).isEqualTo(server.backing().lookup("prices-value", PriceTick.getClassSchema()));
    assertThat(server.count("POST", "/subjects/prices-value/versions")).isEqualTo(1);
    assertThat(server.count("GET", "/schemas/ids/" + id)).isEqualTo(1);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void lookupOnlySerdesReportAMissingSubjectThenWorkOnceItIsRegistered() {
    SchemaRegistry client = SchemaRegistries.connect(RegistrySettings.of(server.url()));
    Serde<PriceTick> serde = new AvroSerdes(client, false).forValues(PriceTick.class);
    PriceTick tick = priceTick("BTC", "1", T0);

    assertThatThrownBy(() -> serde.serializer().serialize("prices", tick))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(40401))
        .hasMessageContaining("'prices-value'")
        .hasMessageContaining(server.url())
        .hasMessageContaining("Auto-registration is off");
    assertThat(server.backing().subjects()).isEmpty();

    int id = server.backing().register("prices-value", PriceTick.getClassSchema());
    for (int i = 0; i < 10; i++) {
      byte[] bytes = serde.serializer().serialize("prices", tick);
      assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }
    assertThat(server.count("POST", "/subjects/prices-value")).as("one failed, one found").isEqualTo(2);
    assertThat(server.count("POST", "/subjects/prices-value/versions")).isZero();
  }
}
