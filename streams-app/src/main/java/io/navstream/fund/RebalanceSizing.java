package io.navstream.fund;

import java.math.BigDecimal;

/** How large the position is after a rebalance (rule 5). */
final class RebalanceSizing {
  private RebalanceSizing() {}

  /**
   * L' = L when the recentering speed is 1; otherwise the current leverage moves part of the way
   * towards the target, {@code clamp(CLR·(1 − rs) + L·rs, minLeverage, maxLeverage)}, as Index
   * Coop's FLI does.
   */
  static BigDecimal targetLeverage(FundSpec spec, BigDecimal currentLeverage) {
    BigDecimal rs = spec.recenteringSpeed();
    if (rs.compareTo(BigDecimal.ONE) == 0) {
      return spec.targetLeverage();
    }
    BigDecimal moved = Decimals.round(
        currentLeverage.multiply(BigDecimal.ONE.subtract(rs)).add(spec.targetLeverage().multiply(rs)));
    if (spec.minLeverage() != null && moved.compareTo(spec.minLeverage()) < 0) {
      return spec.minLeverage();
    }
    if (spec.maxLeverage() != null && moved.compareTo(spec.maxLeverage()) > 0) {
      return spec.maxLeverage();
    }
    return moved;
  }

  /**
   * The position q' whose leverage after the trade, fee included, is exactly L'. With f the fee
   * rate, u = q'·P and v = q·P, u solves u = s·L'·(E − f·|u − v|). Its unique solution is
   * u = s·L'·(E + f·v) / (1 + s·L'·f) when that is ≥ v (a buy), and
   * u = s·L'·(E − f·v) / (1 − s·L'·f) otherwise (a sell).
   *
   * <p>Both denominators are positive because validation keeps f·L' below 1, so the branch test
   * is done exactly by cross-multiplying, and q' is a single quotient rounded once.
   */
  static BigDecimal quantityAfter(
      FundSpec spec, BigDecimal targetLeverage, BigDecimal equity, BigDecimal quantity, BigDecimal price) {
    BigDecimal f = spec.tradingFeeRate();
    BigDecimal sL = spec.direction().sign().multiply(targetLeverage);
    BigDecimal v = quantity.multiply(price);
    BigDecimal fv = f.multiply(v);
    BigDecimal sLf = sL.multiply(f);

    BigDecimal buyNumerator = sL.multiply(equity.add(fv));
    BigDecimal buyDenominator = BigDecimal.ONE.add(sLf);
    if (buyNumerator.compareTo(v.multiply(buyDenominator)) >= 0) {
      return Decimals.divide(buyNumerator, buyDenominator.multiply(price));
    }
    BigDecimal sellNumerator = sL.multiply(equity.subtract(fv));
    BigDecimal sellDenominator = BigDecimal.ONE.subtract(sLf);
    return Decimals.divide(sellNumerator, sellDenominator.multiply(price));
  }
}
