package io.navstream.topology;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/** One topic of the registry: its name and the serdes of its key and value. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
  }
}
