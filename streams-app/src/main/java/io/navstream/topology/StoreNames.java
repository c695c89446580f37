package io.navstream.topology;

/**
 * State stores, named for what they hold. Renaming one abandons its state (and its changelog
 * topic): {@code NavTopologyDescriptionTest} pins these names.
 */
public final class StoreNames {
  /** fundId → where the fund lives and whether it was retired; on fund-definitions partitions. */
  public static final String FUND_REGISTRY = "fund-registry";
  /** fundId → the fund's book ({@code FundState}); on underlying partitions, written on change only. */
  public static final String FUND_BOOKS = "fund-books";
  /** underlying → last price and watermark; the only write of a plain tick. */
  public static final String UNDERLYING_MARKS = "underlying-marks";
  /** (fundId, minute) → the fund's 1-minute NAV candle; a window store, co-located with the book. */
  public static final String NAV_CANDLES = "nav-candles";
  /** fundId → its latest rebalance instructions, newest first. */
  public static final String RECENT_REBALANCES = "recent-rebalances";
  /** Repartition topic (suffixed {@code -repartition} by Kafka Streams) of definitions by underlying. */
  public static final String DEFINITIONS_BY_UNDERLYING = "fund-definitions-by-underlying";

  private StoreNames() {}
}
