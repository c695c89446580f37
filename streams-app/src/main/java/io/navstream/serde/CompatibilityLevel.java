package io.navstream.serde;

import java.util.Arrays;
import java.util.Locale;

/**
 * The compatibility levels of the Confluent protocol. BACKWARD means a new schema can read data
 * written with the existing one(s), FORWARD that the existing one(s) can read data written with the
 * new one, FULL both. The transitive forms check every version of the subject, the others only the
 * latest.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean newReadsOld;
  private final boolean oldReadsNew;
  private final boolean transitive;

  CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
    this.newReadsOld = newReadsOld;
    this.oldReadsNew = oldReadsNew;
    this.transitive = transitive;
  }

  /** Whether the new schema, as reader, must read data written with the existing versions. */
  public boolean newReadsOld() {
    return newReadsOld;
  }

  /** Whether the existing versions, as readers, must read data written with the new schema. */
  public boolean oldReadsNew() {
    return oldReadsNew;
  }

  /** Whether every earlier version is checked, not only the latest. */
  public boolean transitive() {
    return transitive;
  }

  /** The level named {@code name}, ignoring case. */
  public static CompatibilityLevel parse(String name) {
    if (name != null) {
      String normalized = name.trim().toUpperCase(Locale.ROOT);
      for (CompatibilityLevel level : values()) {
        if (level.name().equals(normalized)) {
          return level;
        }
      }
    }
    throw new IllegalArgumentException(
        "Unknown compatibility level '" + name + "'; expected one of " + Arrays.toString(values()));
  }
}
