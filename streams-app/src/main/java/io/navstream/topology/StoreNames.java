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
  /**
   * fundId/requestId → the first answer to that fund flow, so a repeat is answered from it and never
   * processed twice. One small record per request, kept (compacted changelog) for as long as the
   * application id lives: grows with the number of flows, like an exchange's order history.
   */
  public static final String FLOW_RESULTS = "flow-results";
  /** fundId → versions of its NAV updates, for the premium join as of a token price's time. */
  public static final String NAV_HISTORY = "nav-history";
  /** fundId → its definition's premium alert threshold as text ("" for none), from fund-state. */
  public static final String FUND_ALERT_THRESHOLDS = "fund-alert-thresholds";
  /** fundId → its latest premium/discount, for the operator API. */
  public static final String LATEST_PREMIUMS = "latest-premiums";
  /** Time-ordered buffer of token prices waiting out the premium join's grace period. */
  public static final String TOKEN_PRICE_JOIN = "token-price-nav-join";
  /** Repartition topic (suffixed {@code -repartition} by Kafka Streams) of definitions by underlying. */
  public static final String DEFINITIONS_BY_UNDERLYING = "fund-definitions-by-underlying";

  private StoreNames() {}
}
