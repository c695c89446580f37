package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One trade instruction. Values are those before the trade, except {@code toQuantity} and {@code
 * leverageAfter}.
 */
public record Rebalance(
    String fundId,
    String underlying,
    long sequence,
    RebalanceReason reason,
    Instant time,
    BigDecimal price,
    BigDecimal navBefore,
    BigDecimal leverageBefore,
    BigDecimal leverageAfter,
    BigDecimal fromQuantity,
    BigDecimal toQuantity,
    BigDecimal tradingFee) {

  /** Deterministic id: the fund and its per-fund sequence, so that consumers can deduplicate. */
  public String instructionId() {
    return instructionId(fundId, sequence);
  }

  public static String instructionId(String fundId, long sequence) {
    return fundId + "-" + sequence;
  }

  public BigDecimal deltaQuantity() {
    return toQuantity.subtract(fromQuantity);
  }

  public TradeSide side() {
    return TradeSide.of(deltaQuantity());
  }

  /** |Δq| × P, at the stored scale. */
  public BigDecimal notional() {
    return Decimals.round(deltaQuantity().abs().multiply(price));
  }
}
