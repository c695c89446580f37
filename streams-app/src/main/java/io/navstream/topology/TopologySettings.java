package io.navstream.topology;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What the topology's shape depends on besides topic names.
 *
 * @param partitions partitions of the internal repartition topic; must equal the partition count of
 *     the prices and funding-rates topics, so that definitions are co-partitioned with prices
 * @param storeKind RocksDB for {@code run}; in-memory for {@code replay}
 * @param changelogs whether stores are backed by changelog topics (off only for replay, which keeps
 *     nothing)
 * @param premiumGrace how long token prices are held, in event time, so that each joins the NAV as
 *     of its own timestamp even when that NAV arrives a little later
 * @param premiumAlertThreshold the global |premium| alert threshold, or null for none (a fund's own
 *     premiumAlertThreshold wins)
 * @param premium whether the topology has the premium/discount sub-topology (always, except in a
 *     replay without token prices)
 * @param candles whether the topology has the NAV candle builder, whose store serves the
 *     operator API's NAV chart and whose topic feeds dashboards (always, except in a replay)
 */
public record TopologySettings(int partitions, StoreKind storeKind, boolean changelogs,
    Duration premiumGrace, BigDecimal premiumAlertThreshold, boolean premium, boolean candles) {

  /** How long a token price waits for the NAV of its own time before it is joined. */
  public static final Duration DEFAULT_PREMIUM_GRACE = Duration.ofSeconds(1);

  /** |premium| above which a fund without its own threshold raises an alert. */
  public static final BigDecimal DEFAULT_PREMIUM_ALERT_THRESHOLD = new BigDecimal("0.05");

  public TopologySettings(int partitions, StoreKind storeKind, boolean changelogs) {
    this(partitions, storeKind, changelogs, DEFAULT_PREMIUM_GRACE, DEFAULT_PREMIUM_ALERT_THRESHOLD,
        true, true);
  }

  public enum StoreKind {
    PERSISTENT,
    IN_MEMORY
  }

  public TopologySettings {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    if (premiumGrace == null || premiumGrace.isNegative()) {
      throw new IllegalArgumentException("premiumGrace must be >= 0, was " + premiumGrace);
    }
  }

  public static TopologySettings live(int partitions) {
    return new TopologySettings(partitions, StoreKind.PERSISTENT, true);
  }

  /** The same settings with another premium grace and global alert threshold (null: none). */
  public TopologySettings withPremium(Duration grace, BigDecimal alertThreshold) {
    return new TopologySettings(partitions, storeKind, changelogs, grace, alertThreshold, premium,
        candles);
  }

  /**
   * The same settings without the premium/discount sub-topology: for a replay given no token
   * prices, or a deployment with {@code premium.enabled=false}. It would only read every NAV update
   * back to join nothing (a versioned-store write per NAV update).
   */
  public TopologySettings withoutPremium() {
    return new TopologySettings(partitions, storeKind, changelogs, premiumGrace, premiumAlertThreshold,
        false, candles);
  }

  /**
   * The same settings without the NAV candle builder. A replay has no operator API to chart
   * candles and writes no candle file, and the builder's window-store write per NAV update was a
   * quarter of a replay's processing time. No other output depends on it.
   */
  public TopologySettings withoutCandles() {
    return new TopologySettings(partitions, storeKind, changelogs, premiumGrace, premiumAlertThreshold,
        premium, false);
  }

  /** In-memory stores without changelogs, and no candle builder. */
  public static TopologySettings replay() {
    return new TopologySettings(1, StoreKind.IN_MEMORY, false).withoutCandles();
  }
}
