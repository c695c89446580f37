package io.navstream.bench;

import org.apache.kafka.streams.StreamsConfig;

/** The two processing guarantees navstream supports, as the bench names them. */
public enum Guarantee {
  EOS(StreamsConfig.EXACTLY_ONCE_V2),
  ALOS(StreamsConfig.AT_LEAST_ONCE);

  private final String config;

  Guarantee(String config) {
    this.config = config;
  }

  /** The value of {@code processing.guarantee}. */
  public String config() {
    return config;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
