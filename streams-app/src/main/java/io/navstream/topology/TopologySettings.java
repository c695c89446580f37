package io.navstream.topology;

/**
 * What the topology's shape depends on besides topic names.
 *
 * @param partitions partitions of the internal repartition topic; must equal the partition count of
 *     the prices and funding-rates topics, so that definitions are co-partitioned with prices
 * @param storeKind RocksDB for {@code run}; in-memory for {@code replay}
 * @param changelogs whether stores are backed by changelog topics (off only for replay, which keeps
 *     nothing)
 */
public record TopologySettings(int partitions, StoreKind storeKind, boolean changelogs) {

  public enum StoreKind {
    PERSISTENT,
    IN_MEMORY
  }

  public TopologySettings {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
  }

  public static TopologySettings live(int partitions) {
    return new TopologySettings(partitions, StoreKind.PERSISTENT, true);
  }

  public static TopologySettings replay() {
    return new TopologySettings(1, StoreKind.IN_MEMORY, false);
  }
}
