package io.navstream.replay;

/**
 * Counts the inputs of a replay by kind as they are fed, and numbers each delivered one within its
 * topic: the offset the single driver gives it, which a sharded replay hands to the shard that
 * pipes it (see {@link ReplayShard}) so that dead letters name the same source offsets.
 */
final class InputCounts {
  private final boolean[] delivered = new boolean[ReplayEvent.Kind.values().length];
  private final long[] offsets = new long[ReplayEvent.Kind.values().length];
  long definitions;
  long retirements;
  long prices;
  long funding;
  long commands;
  long flows;
  long tokenPrices;
  long notDelivered;

  /** Whether the topology reads the topic of {@code kind}; every kind is undelivered until set. */
  void delivered(ReplayEvent.Kind kind, boolean reads) {
    delivered[kind.ordinal()] = reads;
  }

  /** Counts {@code e}: its offset in its topic, or -1 when the topology reads no such topic. */
  long count(ReplayEvent e) {
    switch (e.kind()) {
      case DEFINITION -> {
        definitions++;
        if (e.value() == null) {
          retirements++;
        }
      }
      case FUNDING -> funding++;
      case PRICE -> prices++;
      case COMMAND -> commands++;
      case FLOW -> flows++;
      case TOKEN_PRICE -> tokenPrices++;
    }
    int kind = e.kind().ordinal();
    if (!delivered[kind]) {
      notDelivered++;
      return -1;
    }
    return offsets[kind]++;
  }
}
