package io.navstream.fund;

/** Where a fund is in its life. */
public enum FundStatus {
  /** Defined, waiting for the first price at or after its effective time. */
  PENDING,
  /** Holding a position; NAV moves with every tick. */
  ACTIVE,
  /** Retired while holding a position: it closes at the next tick of its underlying. */
  RETIRING,
  /** Final: closed by retirement. */
  RETIRED,
  /** Final: equity reached zero or below and the position was closed. */
  DEPLETED;

  /** Whether the fund holds a position whose NAV follows the price. */
  public boolean isLive() {
    return this == ACTIVE || this == RETIRING;
  }

  public boolean isFinal() {
    return this == RETIRED || this == DEPLETED;
  }
}
