package io.navstream.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The it/ support ({@link KafkaStack}, {@link Await}) for real-broker tests in other packages (the
 * operator API's tests in {@code io.navstream.query}).
 */
public final class SharedStack implements AutoCloseable {
  private final KafkaStack stack;

  private SharedStack(KafkaStack stack) {
    this.stack = stack;
  }

  /** An embedded KRaft broker and Apicurio Registry; work files under {@code target/it/}. */
  public static SharedStack start(String name) {
    return new SharedStack(KafkaStack.start(name));
  }

  public String bootstrapServers() {
    return stack.bootstrapServers();
  }

  public String registryUrl() {
    return stack.registryUrl();
  }

  /** A fresh directory under this stack's work directory. */
  public Path newDir(String name) {
    try {
      return java.nio.file.Files.createTempDirectory(stack.workDir(), name + "-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@link Await#until}: polls with a deadline, never sleeps to synchronise. */
  public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
    Await.until(timeout, condition, description);
  }

  @Override
  public void close() {
    stack.close();
  }
}
