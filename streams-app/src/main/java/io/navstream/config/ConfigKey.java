package io.navstream.config;

import java.util.Locale;
import java.util.Objects;

/**
 * One navstream setting: its dotted name, type, default and meaning. The list of keys is {@link
 * ConfigKeys#ALL}; the README table is generated from the same facts.
 *
 * @param name dotted, lower-case name as written in the properties file
 * @param type how the value is parsed
 * @param defaultValue the built-in default, or null when the setting has none
 * @param doc one-sentence meaning, for the README and {@code --help}
 */
public record ConfigKey(String name, Type type, String defaultValue, String doc) {

  /** How a value is parsed. */
  public enum Type {
    STRING,
    BOOLEAN,
    INT,
    LONG
  }

  /** Every navstream setting can be given as {@code NAVSTREAM_} plus this suffix rule. */
  public static final String ENV_PREFIX = "NAVSTREAM_";

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(doc, "doc");
  }

  /** The environment variable of this key: {@code NAVSTREAM_} + name upper-cased, '.' and '-' as '_'. */
  public String envName() {
    return envNameOf(name);
  }

  /** Whether the value must never be printed. */
  public boolean isSecret() {
    return isSecretKey(name);
  }

  static String envNameOf(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Keys whose values are credentials. Matched on the name rather than declared, so that Kafka
   * pass-through settings ({@code kafka.sasl.jaas.config}, {@code kafka.ssl.key.password}) are
   * covered too.
   */
  static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("token")
        || k.contains("user.info")
        || k.contains("jaas");
  }
}
