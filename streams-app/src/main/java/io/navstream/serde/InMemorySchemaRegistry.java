package io.navstream.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * A schema registry in memory, for tests and for {@code replay}. It follows Confluent's rules: ids
 * are global and count up from 1, the same schema gets the same id under every subject, and a new
 * version must satisfy the subject's compatibility level (global default BACKWARD), checked with
 * Avro's {@link SchemaCompatibility}. Thread-safe.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
  private static final String DESCRIPTION = "the in-memory schema registry";

  // Read on every deserializer cache miss, so readable without the lock.
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  // Guarded by "this".
  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
  private final Map<String, CompatibilityLevel> levelsBySubject = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private int lastId;

  /** A registry whose global compatibility level is BACKWARD, like Confluent's default. */
  public InMemorySchemaRegistry() {
    this(CompatibilityLevel.BACKWARD);
  }

  public InMemorySchemaRegistry(CompatibilityLevel globalLevel) {
    this.globalLevel = Objects.requireNonNull(globalLevel, "globalLevel");
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    List<Schema> versions = versionsBySubject.getOrDefault(subject, List.of());
    if (versions.contains(schema)) {
      return idsBySchema.get(schema);
    }
    List<String> problems = incompatibilities(subject, versions, schema);
    if (!problems.isEmpty()) {
      throw new SchemaRegistryException(
          "Registering schema under subject '" + subject + "' in " + DESCRIPTION + " failed:"
              + " the schema is incompatible with an earlier schema (" + levelOf(subject) + "): "
              + String.join("; ", problems),
          409, 409, null);
    }
    int id = idsBySchema.computeIfAbsent(schema, newSchema -> ++lastId);
    schemasById.putIfAbsent(id, schema);
    versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(schema);
    return id;
  }

  @Override
  public synchronized int lookup(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    List<Schema> versions = versionsBySubject.get(subject);
    String operation = "Looking up schema under subject '" + subject + "' in " + DESCRIPTION;
    String hint = ". Auto-registration is off, so the schema must be registered beforehand";
    if (versions == null) {
      throw new SchemaRegistryException(
          operation + " failed: subject not found" + hint,
          404, HttpSchemaRegistry.SUBJECT_NOT_FOUND, null);
    }
    if (!versions.contains(schema)) {
      throw new SchemaRegistryException(
          operation + " failed: schema not found among its " + versions.size() + " version(s)"
              + hint, 404, HttpSchemaRegistry.SCHEMA_NOT_FOUND, null);
    }
    return idsBySchema.get(schema);
  }

  @Override
  public Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(
          "Fetching schema id " + id + " from " + DESCRIPTION + " failed: schema not found", 404,
          HttpSchemaRegistry.SCHEMA_NOT_FOUND, null);
    }
    return schema;
  }

  @Override
  public synchronized void setCompatibility(String subjectOrNull, String level) {
    CompatibilityLevel parsed = CompatibilityLevel.parse(level);
    if (subjectOrNull == null) {
      globalLevel = parsed;
    } else {
      requireSubject(subjectOrNull);
      levelsBySubject.put(subjectOrNull, parsed);
    }
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    return incompatibilities(subject, versionsBySubject.getOrDefault(subject, List.of()), schema)
        .isEmpty();
  }

  /** The level in force for {@code subjectOrNull}: its own, else the global one. */
  public synchronized CompatibilityLevel compatibility(String subjectOrNull) {
    return subjectOrNull == null ? globalLevel : levelOf(subjectOrNull);
  }

  /** The subjects with at least one version, sorted. */
  public synchronized Set<String> subjects() {
    return new TreeSet<>(versionsBySubject.keySet());
  }

  /** The versions of {@code subject}, oldest first; empty for an unknown subject. */
  public synchronized List<Schema> versions(String subject) {
    return List.copyOf(versionsBySubject.getOrDefault(subject, List.of()));
  }

  @Override
  public String describe() {
    return DESCRIPTION;
  }

  private CompatibilityLevel levelOf(String subject) {
    return levelsBySubject.getOrDefault(subject, globalLevel);
  }

  /** Why {@code candidate} may not join {@code versions}; empty when it may. */
  private List<String> incompatibilities(String subject, List<Schema> versions, Schema candidate) {
    CompatibilityLevel level = levelOf(subject);
    List<String> problems = new ArrayList<>();
    int oldest = level.transitive() ? 0 : Math.max(0, versions.size() - 1);
    for (int index = versions.size() - 1; index >= oldest; index--) {
      Schema existing = versions.get(index);
      int version = index + 1;
      if (level.newReadsOld()) {
        describeProblems(
            SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing),
            "the new schema cannot read data written with version " + version,
            problems);
      }
      if (level.oldReadsNew()) {
        describeProblems(
            SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate),
            "version " + version + " cannot read data written with the new schema",
            problems);
      }
    }
    return problems;
  }

  private static void describeProblems(
      SchemaCompatibility.SchemaPairCompatibility pair, String what, List<String> problems) {
    SchemaCompatibilityResult result = pair.getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return;
    }
    problems.add(
        what + ": "
            + result.getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .collect(Collectors.joining(", ")));
  }

  private static void requireSubject(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("A subject is required, was '" + subject + "'");
    }
  }
}
