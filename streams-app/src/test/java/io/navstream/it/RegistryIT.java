package io.navstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PriceTick;
import io.navstream.embedded.ApicurioRegistry;
import io.navstream.embedded.RegistryRules;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.HttpSchemaRegistry;
import io.navstream.serde.RegistrySettings;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.serde.SchemaRegistryException;
import io.navstream.topology.TopicNames;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * navstream's registry client against a real registry, Apicurio, through its Confluent-compatible
 * API only: registration, lookup, fetch by id, and schema evolution under the rules navstream sets
 * (global BACKWARD, FULL_TRANSITIVE on output subjects). Needs no broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApicurioRegistry apicurio;
  private SchemaRegistry registry;

  @BeforeAll
  void startRegistry() {
    apicurio = ApicurioRegistry.start(KafkaStack.newWorkDir("RegistryIT"));
    TestLog.line("Apicurio started in %d ms at %s", apicurio.startupTime().toMillis(), apicurio.url());
  }

  @AfterAll
  void stopRegistry() {
    apicurio.close();
  }

  @BeforeEach
  void connect() {
    registry = SchemaRegistries.connect(RegistrySettings.of(apicurio.url()));
  }

  @AfterEach
  void disconnect() {
    registry.close();
  }

  private static String subject() {
    return StackClients.uniqueName("registry-it") + "-value";
  }

  @Test
  void registersLooksUpAndFetchesByIdThroughTheConfluentApi() {
    String subject = subject();
    int id = registry.register(subject, PriceTick.getClassSchema());

    // Fresh clients, so nothing comes from a cache.
    try (SchemaRegistry other = new HttpSchemaRegistry(RegistrySettings.of(apicurio.url()))) {
      assertThat(other.lookup(subject, PriceTick.getClassSchema())).isEqualTo(id);
    }
    try (SchemaRegistry other = new HttpSchemaRegistry(RegistrySettings.of(apicurio.url()))) {
      assertThat(other.schemaById(id)).isEqualTo(PriceTick.getClassSchema());
    }
    assertThat(registry.register(subject, PriceTick.getClassSchema()))
        .as("registering the same schema again gives the same id").isEqualTo(id);
  }

  @Test
  void aBackwardCompatibleChangeRegistersUnderTheGlobalBackwardRule() {
    String subject = subject();
    int v1 = registry.register(subject, PriceTick.getClassSchema());
    Schema withVenue = withField(PriceTick.getClassSchema(),
        "{\"name\": \"venue\", \"type\": [\"null\", \"string\"], \"default\": null}");

    assertThat(registry.isCompatible(subject, withVenue)).isTrue();
    int v2 = registry.register(subject, withVenue);
    assertThat(v2).isNotEqualTo(v1);
  }

  @Test
  void anIncompatibleChangeIsRefusedNamingSubjectAndRegistry() {
    String subject = subject();
    registry.register(subject, PriceTick.getClassSchema());
    Schema requiredVenue = withField(PriceTick.getClassSchema(),
        "{\"name\": \"venue\", \"type\": \"string\"}");
    // (bytes to string would not do: Avro promotes bytes to string, so that change is compatible.)
    Schema timeAsString = withFieldType(PriceTick.getClassSchema(), "eventTime", "\"string\"");

    assertThat(registry.isCompatible(subject, requiredVenue)).isFalse();
    for (Schema incompatible : new Schema[] {requiredVenue, timeAsString}) {
      assertThatThrownBy(() -> registry.register(subject, incompatible))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("'" + subject + "'")
          .hasMessageContaining(apicurio.url())
          .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(409));
    }
  }

  @Test
  void fullTransitiveOnAnOutputSubjectRefusesWhatBackwardAllows() {
    TopicNames names = StackClients.uniqueTopics("registry-it");
    assertThat(apicurio.requireFullTransitive(names)).containsExactly(
        names.navUpdates() + "-value", names.rebalanceInstructions() + "-value",
        names.fundState() + "-value");
    String navSubject = AvroSerdes.valueSubject(names.navUpdates());
    String plainSubject = subject();
    Schema v1 = NavUpdate.getClassSchema();
    // v2 adds a field with a default: compatible both ways.
    Schema v2 = withField(v1, "{\"name\": \"source\", \"type\": \"string\", \"default\": \"navstream\"}");
    // v3 drops the default: fine against v2 either way, but it cannot read v1's data.
    Schema v3 = withField(v1, "{\"name\": \"source\", \"type\": \"string\"}");
    // Dropping a field without default: new readers cope (BACKWARD), old ones do not (FORWARD).
    Schema withoutCash = withoutField(v1, "cash");

    for (String subject : new String[] {navSubject, plainSubject}) {
      registry.register(subject, v1);
      registry.register(subject, v2);
    }
    assertThatThrownBy(() -> registry.register(navSubject, v3))
        .isInstanceOf(SchemaRegistryException.class).hasMessageContaining(navSubject);
    assertThatThrownBy(() -> registry.register(navSubject, withoutCash))
        .isInstanceOf(SchemaRegistryException.class).hasMessageContaining(navSubject);
    assertThat(registry.register(plainSubject, withoutCash))
        .as("the same change under the global %s rule", RegistryRules.GLOBAL_LEVEL).isPositive();
  }

  @Test
  void aPriceTickRoundTripsThroughNavstreamsSerdesInTheConfluentWireFormat() {
    String topic = StackClients.uniqueName("registry-it-prices");
    PriceTick tick = new PriceTick("BTC-USDT", Scenarios.dec("64123.4567"), Instant.parse("2025-01-01T00:00:00.123Z"));
    Serde<PriceTick> writer = new AvroSerdes(registry, true).forValues(PriceTick.class);

    byte[] payload = writer.serializer().serialize(topic, tick);

    assertThat(payload[0]).as("magic byte").isEqualTo((byte) 0);
    int id = ByteBuffer.wrap(payload, 1, 4).getInt();
    try (SchemaRegistry reader = SchemaRegistries.connect(RegistrySettings.of(apicurio.url()))) {
      assertThat(reader.schemaById(id)).isEqualTo(PriceTick.getClassSchema());
      assertThat(reader.lookup(topic + "-value", PriceTick.getClassSchema())).isEqualTo(id);
      PriceTick read = new AvroSerdes(reader, false).forValues(PriceTick.class)
          .deserializer().deserialize(topic, payload);
      assertThat(read).isEqualTo(tick);
      assertThat(read.getPrice()).isEqualTo(tick.getPrice()).hasScaleOf(18);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static Schema withField(Schema schema, String fieldJson) {
    ObjectNode root = parse(schema);
    ((ArrayNode) root.get("fields")).add(parse(fieldJson));
    return new Schema.Parser().parse(root.toString());
  }

  private static Schema withFieldType(Schema schema, String field, String typeJson) {
    ObjectNode root = parse(schema);
    root.get("fields").forEach(f -> {
      if (f.get("name").asText().equals(field)) {
        ((ObjectNode) f).set("type", node(typeJson));
      }
    });
    return new Schema.Parser().parse(root.toString());
  }

  private static Schema withoutField(Schema schema, String field) {
    ObjectNode root = parse(schema);
    ArrayNode fields = (ArrayNode) root.get("fields");
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).get("name").asText().equals(field)) {
        fields.remove(i);
        break;
      }
    }
    return new Schema.Parser().parse(root.toString());
  }

  private static ObjectNode parse(Schema schema) {
    return parse(schema.toString());
  }

  private static ObjectNode parse(String json) {
    return (ObjectNode) node(json);
  }

  private static JsonNode node(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }
}
