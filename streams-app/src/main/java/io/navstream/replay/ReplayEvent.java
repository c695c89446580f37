package io.navstream.replay;

import org.apache.avro.specific.SpecificRecord;

/**
 * One input record to pipe into the topology.
 *
 * @param kind which input topic it goes to
 * @param timestamp the Kafka record timestamp, epoch milliseconds
 * @param key the record key (fundId or symbol)
 * @param value the value, or null for a tombstone (a fund retirement)
 */
record ReplayEvent(Kind kind, long timestamp, String key, SpecificRecord value) {

  /** Input kinds, in the order they are fed at equal timestamps. */
  enum Kind {
    DEFINITION,
    FLOW,
    FUNDING,
    PRICE,
    /** Last at a tie: a manual rebalance at a tick's time trades at that tick's price. */
    COMMAND,
    /** After everything of its time: it joins the NAV as of its timestamp. */
    TOKEN_PRICE
  }
}
