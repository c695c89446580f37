package io.navstream.connect;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;

/**
 * Kafka's {@link EnvVarConfigProvider}, unchanged, over this JVM's environment plus variables a
 * test sets. The embedded Connect worker runs in the test's JVM, whose environment cannot change,
 * while the values it needs (the registry's port, the test's database schema) are only known at
 * run time. The worker registers this class under the provider name {@code env}, so the connector
 * files resolve their {@code ${env:NAME}} placeholders exactly as on a real worker configured with
 * {@code config.providers=env} and {@code config.providers.env.class=EnvVarConfigProvider}.
 */
public final class TestEnvironmentConfigProvider extends EnvVarConfigProvider {
  private static final Map<String, String> VARIABLES = new ConcurrentHashMap<>();

  public TestEnvironmentConfigProvider() {
    super(environment());
  }

  /** Sets a variable for providers created from now on (set them before the worker starts). */
  static void set(String name, String value) {
    VARIABLES.put(name, value);
  }

  static void clear() {
    VARIABLES.clear();
  }

  private static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putAll(VARIABLES);
    return env;
  }
}
