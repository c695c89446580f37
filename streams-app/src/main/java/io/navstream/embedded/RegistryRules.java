package io.navstream.embedded;

import io.navstream.avro.FundState;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.CompatibilityLevel;
import io.navstream.serde.RegistrySettings;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.serde.SchemaRegistryException;
import io.navstream.topology.TopicNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compatibility rules navstream expects of its schema registry, set through navstream's own
 * Confluent-protocol client, so they work on any registry speaking that protocol.
 *
 * <ul>
 *   <li>Globally {@link #GLOBAL_LEVEL BACKWARD}, Confluent's default (Apicurio's is NONE): a new
 *       schema must read what the previous one wrote.
 *   <li>On the value subjects of navstream's output topics (nav-updates, rebalance-instructions,
 *       fund-state) {@link #OUTPUT_LEVEL FULL_TRANSITIVE}: consumers navstream does not control
 *       must read every version, old or new.
 * </ul>
 */
public final class RegistryRules {
  private static final Logger log = LoggerFactory.getLogger(RegistryRules.class);

  public static final CompatibilityLevel GLOBAL_LEVEL = CompatibilityLevel.BACKWARD;
  public static final CompatibilityLevel OUTPUT_LEVEL = CompatibilityLevel.FULL_TRANSITIVE;

  private static final int SUBJECT_NOT_FOUND = 40401;

  private RegistryRules() {}

  /** Sets the global compatibility level to {@link #GLOBAL_LEVEL}. */
  public static void applyGlobalDefault(SchemaRegistry registry) {
    Objects.requireNonNull(registry, "registry").setCompatibility(null, GLOBAL_LEVEL.name());
  }

  /** As {@link #applyGlobalDefault(SchemaRegistry)}, for the registry at {@code url}. */
  public static void applyGlobalDefault(String url) {
    try (SchemaRegistry registry = SchemaRegistries.connect(RegistrySettings.of(url))) {
      applyGlobalDefault(registry);
    }
  }

  /** The value subjects of navstream's output topics, in the order nav, instructions, state. */
  public static List<String> outputSubjects(TopicNames topics) {
    return List.copyOf(outputSchemas(topics).keySet());
  }

  /**
   * Sets {@link #OUTPUT_LEVEL} on the value subject of each output topic. Registries that refuse a
   * level for a subject without versions (Apicurio and Confluent accept it) get the topic's schema
   * registered first.
   *
   * @return the subjects set
   */
  public static List<String> requireFullTransitive(SchemaRegistry registry, TopicNames topics) {
    Objects.requireNonNull(registry, "registry");
    Map<String, Schema> subjects = outputSchemas(topics);
    subjects.forEach((subject, schema) -> {
      try {
        registry.setCompatibility(subject, OUTPUT_LEVEL.name());
      } catch (SchemaRegistryException e) {
        if (e.errorCode() != SUBJECT_NOT_FOUND) {
          throw e;
        }
        log.info("{} refuses a level for subject {} without versions; registering {} first",
            registry.describe(), subject, schema.getFullName());
        registry.register(subject, schema);
        registry.setCompatibility(subject, OUTPUT_LEVEL.name());
      }
    });
    return List.copyOf(subjects.keySet());
  }

  /** As {@link #requireFullTransitive(SchemaRegistry, TopicNames)}, for the registry at {@code url}. */
  public static List<String> requireFullTransitive(String url, TopicNames topics) {
    try (SchemaRegistry registry = SchemaRegistries.connect(RegistrySettings.of(url))) {
      return requireFullTransitive(registry, topics);
    }
  }

  private static Map<String, Schema> outputSchemas(TopicNames topics) {
    Objects.requireNonNull(topics, "topics");
    Map<String, Schema> subjects = new LinkedHashMap<>();
    subjects.put(AvroSerdes.valueSubject(topics.navUpdates()), NavUpdate.getClassSchema());
    subjects.put(AvroSerdes.valueSubject(topics.rebalanceInstructions()),
        RebalanceInstruction.getClassSchema());
    subjects.put(AvroSerdes.valueSubject(topics.fundState()), FundState.getClassSchema());
    return subjects;
  }
}
