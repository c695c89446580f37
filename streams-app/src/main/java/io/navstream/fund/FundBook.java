package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What a fund holds and remembers between rebalances. Immutable; {@link Fund} returns a new book
 * for every change. Every decimal has scale {@value Decimals#SCALE}.
 *
 * @param spec the definition in force
 * @param stagedSpec a definition change waiting for the next DAILY, THRESHOLD or BAND rebalance, or
 *     null
 * @param quantity signed position in underlying units (negative for a short)
 * @param cash quote currency; negative for a long, which borrows to buy
 * @param lastRebalancePrice P_r, null before inception
 * @param lastRebalanceTime when the last rebalance (of any kind) happened; the management fee
 *     accrues from here
 * @param equityAtLastRebalance E_r, the base of the management fee
 * @param nextScheduledRebalance the next daily rebalance instant, or null
 * @param sequence sequence number of the last rebalance instruction, 0 before inception
 * @param updatedAt event time of the input that made this version of the book
 */
public record FundBook(
    FundSpec spec,
    FundSpec stagedSpec,
    FundStatus status,
    BigDecimal shares,
    BigDecimal quantity,
    BigDecimal cash,
    BigDecimal lastRebalancePrice,
    Instant lastRebalanceTime,
    BigDecimal equityAtLastRebalance,
    Instant nextScheduledRebalance,
    long sequence,
    BigDecimal cumulativeManagementFees,
    BigDecimal cumulativeTradingFees,
    BigDecimal cumulativeFunding,
    Instant updatedAt) {

  public FundBook {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(shares, "shares");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(cash, "cash");
    Objects.requireNonNull(cumulativeManagementFees, "cumulativeManagementFees");
    Objects.requireNonNull(cumulativeTradingFees, "cumulativeTradingFees");
    Objects.requireNonNull(cumulativeFunding, "cumulativeFunding");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A fund that has been defined and waits for its first price. */
  public static FundBook pending(FundSpec spec, Instant at) {
    return new FundBook(
        spec, null, FundStatus.PENDING, Decimals.round(spec.initialShares()), Decimals.ZERO,
        Decimals.ZERO, null, null, null, null, 0L, Decimals.ZERO, Decimals.ZERO, Decimals.ZERO, at);
  }

  public String fundId() {
    return spec.fundId();
  }

  public String underlying() {
    return spec.underlying();
  }

  /** Management fee accrued since the last rebalance, linear in time on E_r. */
  BigDecimal accruedManagementFee(Instant at) {
    if (equityAtLastRebalance == null || lastRebalanceTime == null || spec.managementFeeDaily().signum() == 0) {
      return Decimals.ZERO;
    }
    long elapsed = Math.max(0L, at.toEpochMilli() - lastRebalanceTime.toEpochMilli());
    // The small factors first, the daily rate lean: one large product, and a divisor that stays
    // a long (the same quotient as with scale-18 operands, found many times faster).
    BigDecimal numerator = Decimals.lean(spec.managementFeeDaily())
        .multiply(BigDecimal.valueOf(elapsed))
        .multiply(equityAtLastRebalance);
    return Decimals.divide(numerator, Decimals.MILLIS_PER_DAY);
  }

  /** Equity E = C + q·P − accrued management fee, at the stored scale. */
  public BigDecimal equityAt(BigDecimal price, Instant at) {
    return equityWith(quantity.multiply(price), at);
  }

  /** Equity from the position's value q·P (exact): C − accrued fee + q·P, rounded once. */
  BigDecimal equityWith(BigDecimal positionValue, Instant at) {
    return Decimals.round(cash.subtract(accruedManagementFee(at)).add(positionValue));
  }

  FundBook with(FundStatus newStatus, Instant at) {
    return new FundBook(spec, stagedSpec, newStatus, shares, quantity, cash, lastRebalancePrice,
        lastRebalanceTime, equityAtLastRebalance, nextScheduledRebalance, sequence,
        cumulativeManagementFees, cumulativeTradingFees, cumulativeFunding, at);
  }
}
