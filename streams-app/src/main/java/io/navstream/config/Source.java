package io.navstream.config;

import java.util.Objects;

/**
 * Where a configuration value came from: the layer, and within it the file or variable name, so that
 * error messages and {@link NavstreamConfig#describe()} can point at the exact place to fix.
 *
 * @param layer the configuration layer
 * @param detail the file path, the environment variable or the override's name; empty for defaults
 */
public record Source(Layer layer, String detail) {

  /** Configuration layers, lowest precedence first. */
  public enum Layer {
    DEFAULT,
    FILE,
    ENVIRONMENT,
    OVERRIDE
  }

  static final Source DEFAULT = new Source(Layer.DEFAULT, "");

  public Source {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(detail, "detail");
  }

  static Source file(String path) {
    return new Source(Layer.FILE, path);
  }

  static Source environment(String variable) {
    return new Source(Layer.ENVIRONMENT, variable);
  }

  static Source override(String name) {
    return new Source(Layer.OVERRIDE, name);
  }

  /** For example {@code environment NAVSTREAM_TOPICS_PARTITIONS} or {@code file /etc/navstream.properties}. */
  @Override
  public String toString() {
    String layerName =
        switch (layer) {
          case DEFAULT -> "default";
          case FILE -> "file";
          case ENVIRONMENT -> "environment";
          case OVERRIDE -> "override";
        };
    return detail.isEmpty() ? layerName : layerName + " " + detail;
  }
}
