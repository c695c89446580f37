package io.navstream.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent schema-registry protocol navstream uses. Implementations cache in both
 * directions and are safe for concurrent use.
 */
public interface SchemaRegistry extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (or finds it already there) and returns its id. */
  int register(String subject, Schema schema);

  /** The id of {@code schema} already registered under {@code subject}; fails when it is not there. */
  int lookup(String subject, Schema schema);

  /** The schema with this global id. */
  Schema schemaById(int id);

  /** A human description for error messages, such as the registry URL. */
  String describe();

  @Override
  default void close() {}
}
