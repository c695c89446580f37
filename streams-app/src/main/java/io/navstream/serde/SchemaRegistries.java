package io.navstream.serde;

/** Where navstream gets its {@link SchemaRegistry} from. */
public final class SchemaRegistries {
  private SchemaRegistries() {}

  /**
   * A caching HTTP client of the Confluent-protocol registry at {@code settings.url()}. No call is
   * made until the first schema is registered or fetched.
   */
  public static SchemaRegistry connect(RegistrySettings settings) {
    return new HttpSchemaRegistry(settings);
  }

  /** A fresh registry in memory (global level BACKWARD), for tests and replays. */
  public static InMemorySchemaRegistry inMemory() {
    return new InMemorySchemaRegistry();
  }
}
