package io.navstream.fund;

import java.math.BigDecimal;

/** The side of a trade; NONE for a rebalance whose trade is zero. */
public enum TradeSide {
  BUY,
  SELL,
  NONE;

  public static TradeSide of(BigDecimal deltaQuantity) {
    return switch (deltaQuantity.signum()) {
      case 1 -> BUY;
      case -1 -> SELL;
      default -> NONE;
    };
  }
}
