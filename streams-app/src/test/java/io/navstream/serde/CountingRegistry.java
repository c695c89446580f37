package io.navstream.serde;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** Counts the calls that reach a registry, to prove that the serdes cache. */
final class CountingRegistry implements SchemaRegistry {
  private final SchemaRegistry delegate;
  final AtomicInteger registerCalls = new AtomicInteger();
  final AtomicInteger lookupCalls = new AtomicInteger();
  final AtomicInteger schemaByIdCalls = new AtomicInteger();

  CountingRegistry(SchemaRegistry delegate) {
    this.delegate = delegate;
  }

  int totalCalls() {
    return registerCalls.get() + lookupCalls.get() + schemaByIdCalls.get();
  }

  void reset() {
    registerCalls.set(0);
    lookupCalls.set(0);
    schemaByIdCalls.set(0);
  }

  @Override
  public int register(String subject, Schema schema) {
    registerCalls.incrementAndGet();
    return delegate.register(subject, schema);
  }

  @Override
  public int lookup(String subject, Schema schema) {
    lookupCalls.incrementAndGet();
    return delegate.lookup(subject, schema);
  }

  @Override
  public Schema schemaById(int id) {
    schemaByIdCalls.incrementAndGet();
    return delegate.schemaById(id);
  }

  @Override
  public void setCompatibility(String subjectOrNull, String level) {
    delegate.setCompatibility(subjectOrNull, level);
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return delegate.isCompatible(subject, schema);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }
}
