package io.navstream.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent schema-registry protocol navstream uses. Implementations cache in both
 * directions and are safe for concurrent use. Failures are {@link SchemaRegistryException}s whose
 * message names the operation, the subject (or id) and the registry.
 */
public interface SchemaRegistry extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (or finds it already there) and returns its id. */
  int register(String subject, Schema schema);

  /** The id of {@code schema} already registered under {@code subject}; fails when it is not there. */
  int lookup(String subject, Schema schema);

  /** The schema with this global id. */
  Schema schemaById(int id);

  /**
   * Sets the compatibility level of {@code subjectOrNull}, or the registry's global level when it is
   * null.
   *
   * @param level one of {@link CompatibilityLevel}'s names, such as {@code BACKWARD} or {@code
   *     FULL_TRANSITIVE}
   */
  void setCompatibility(String subjectOrNull, String level);

  /**
   * Whether {@code schema} could be registered under {@code subject} under the subject's
   * compatibility level; true for a subject with no versions yet.
   */
  boolean isCompatible(String subject, Schema schema);

  /** A human description for error messages, such as the registry URL. */
  String describe();

  @Override
  default void close() {}
}
