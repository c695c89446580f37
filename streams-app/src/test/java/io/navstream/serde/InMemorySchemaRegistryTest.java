package io.navstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {
  // Versions of one record: each adds or drops a field.
  private static final Schema A = SchemaBuilder.record("Thing").namespace("test").fields()
      .requiredInt("a").endRecord();
  private static final Schema A_B_WITH_DEFAULT = SchemaBuilder.record("Thing").namespace("test")
      .fields().requiredInt("a").name("b").type().stringType().stringDefault("none").endRecord();
  private static final Schema A_B_REQUIRED = SchemaBuilder.record("Thing").namespace("test")
      .fields().requiredInt("a").requiredString("b").endRecord();
  private static final Schema NOTHING = SchemaBuilder.record("Thing").namespace("test").fields()
      .endRecord();

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void idsAreGlobalIncreasingFromOneAndStablePerSchema() {
    int first = registry.register("things-value", A);
    int again = registry.register("things-value", new Schema.Parser().parse(A.toString()));
    int second = registry.register("things-value", A_B_WITH_DEFAULT);
    int elsewhere = registry.register("other-things-value", A);

    assertThat(first).isEqualTo(1);
    assertThat(again).isEqualTo(1);
    assertThat(second).isEqualTo(2);
    assertThat(elsewhere).as("same schema, another subject: same id").isEqualTo(1);
    assertThat(registry.versions("things-value")).containsExactly(A, A_B_WITH_DEFAULT);
    assertThat(registry.schemaById(2)).isEqualTo(A_B_WITH_DEFAULT);
    assertThat(registry.subjects()).containsExactly("other-things-value", "things-value");
  }

  @Test
  void backwardIsTheDefaultAndAcceptsANewFieldWithADefault() {
    registry.register("things-value", A);

    assertThat(registry.compatibility("things-value")).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThat(registry.isCompatible("things-value", A_B_WITH_DEFAULT)).isTrue();
    assertThat(registry.register("things-value", A_B_WITH_DEFAULT)).isEqualTo(2);
  }

  @Test
  void backwardRejectsANewFieldWithoutADefaultNamingTheSubject() {
    registry.register("things-value", A);

    assertThat(registry.isCompatible("things-value", A_B_REQUIRED)).isFalse();
    assertThatThrownBy(() -> registry.register("things-value", A_B_REQUIRED))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(409))
        .hasMessageContaining("subject 'things-value'")
        .hasMessageContaining("BACKWARD")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(registry.versions("things-value")).containsExactly(A);
  }

  @Test
  void forwardChecksThatTheOldSchemaReadsNewData() {
    registry.setCompatibility("things-value", "FORWARD");
    registry.register("things-value", A_B_REQUIRED);

    // Old readers need b, which the new writer no longer writes.
    assertThat(registry.isCompatible("things-value", A)).isFalse();
    // Adding a field is fine for old readers: they skip it.
    registry.setCompatibility("other-value", "FORWARD");
    registry.register("other-value", A);
    assertThat(registry.isCompatible("other-value", A_B_REQUIRED)).isTrue();
  }

  @Test
  void fullNeedsBothDirections() {
    registry.setCompatibility(null, "FULL");
    registry.register("things-value", A);

    assertThat(registry.isCompatible("things-value", A_B_REQUIRED)).as("not backward").isFalse();
    assertThat(registry.isCompatible("things-value", A_B_WITH_DEFAULT)).isTrue();
    assertThat(registry.isCompatible("things-value", NOTHING))
        .as("not forward: the old reader needs a").isFalse();
  }

  @Test
  void transitiveLevelsCheckEveryVersion() {
    registry.register("things-value", A);
    registry.register("things-value", A_B_WITH_DEFAULT);

    // A_B_REQUIRED reads data of A_B_WITH_DEFAULT, but not of A, which lacks b.
    assertThat(registry.isCompatible("things-value", A_B_REQUIRED)).isTrue();
    registry.setCompatibility("things-value", "BACKWARD_TRANSITIVE");
    assertThatThrownBy(() -> registry.register("things-value", A_B_REQUIRED))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("BACKWARD_TRANSITIVE")
        .hasMessageContaining("version 1");
  }

  @Test
  void noneAcceptsAnything() {
    registry.setCompatibility("things-value", "none");
    registry.register("things-value", A);

    assertThat(registry.register("things-value", A_B_REQUIRED)).isEqualTo(2);
    assertThat(registry.register("things-value", NOTHING)).isEqualTo(3);
  }

  @Test
  void subjectLevelOverridesTheGlobalOne() {
    registry.setCompatibility(null, "NONE");
    registry.setCompatibility("strict-value", "BACKWARD");
    registry.register("strict-value", A);
    registry.register("loose-value", A);

    assertThat(registry.isCompatible("strict-value", A_B_REQUIRED)).isFalse();
    assertThat(registry.isCompatible("loose-value", A_B_REQUIRED)).isTrue();
    assertThat(registry.isCompatible("unknown-value", A_B_REQUIRED)).isTrue();
  }

  @Test
  void lookupFailsClearlyForAMissingSubjectOrSchema() {
    assertThatThrownBy(() -> registry.lookup("things-value", A))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(40401))
        .hasMessageContaining("'things-value'")
        .hasMessageContaining("Auto-registration is off");

    registry.register("things-value", A);
    assertThat(registry.lookup("things-value", A)).isEqualTo(1);
    assertThatThrownBy(() -> registry.lookup("things-value", A_B_WITH_DEFAULT))
        .isInstanceOfSatisfying(SchemaRegistryException.class,
            e -> assertThat(e.errorCode()).isEqualTo(40403));
  }

  @Test
  void anUnknownIdIsAnError() {
    assertThatThrownBy(() -> registry.schemaById(7))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("schema id 7");
  }

  @Test
  void concurrentRegistrationsAgreeOnIds() throws Exception {
    List<Schema> schemas = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      schemas.add(SchemaBuilder.record("R" + i).fields().requiredLong("x").endRecord());
    }
    List<Future<List<Integer>>> results = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      results.add(executor.submit(() -> {
        List<Integer> ids = new ArrayList<>();
        for (Schema schema : schemas) {
          ids.add(registry.register(schema.getName() + "-value", schema));
        }
        return ids;
      }));
    }

    List<Integer> first = results.get(0).get(10, TimeUnit.SECONDS);
    for (Future<List<Integer>> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(first);
    }
    Set<Integer> distinct = new HashSet<>(first);
    assertThat(distinct).hasSize(20).allMatch(id -> id >= 1 && id <= 20);
  }
}
