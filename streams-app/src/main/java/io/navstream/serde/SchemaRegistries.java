package io.navstream.serde;

/** PLACEHOLDER: the serde helper replaces this file. */
public final class SchemaRegistries {
  private SchemaRegistries() {}

  /** A caching HTTP client of the registry at {@code settings.url()}. */
  public static SchemaRegistry connect(RegistrySettings settings) {
    throw new UnsupportedOperationException("todo");
  }
}
