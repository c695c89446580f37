package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a fund holds and remembers between rebalances. Immutable; {@link Fund} returns a new book
 * for every change. Every decimal has scale {@value Decimals#SCALE}. A value class with the
 * accessors, equality and text of a record, and a few values derived once for the per-tick
 * arithmetic.
 */
public final class FundBook {
  private final FundSpec spec;
  private final FundSpec stagedSpec;
  private final FundStatus status;
  private final BigDecimal shares;
  private final BigDecimal quantity;
  private final BigDecimal cash;
  private final BigDecimal lastRebalancePrice;
  private final Instant lastRebalanceTime;
  private final BigDecimal equityAtLastRebalance;
  private final Instant nextScheduledRebalance;
  private final long sequence;
  private final BigDecimal cumulativeManagementFees;
  private final BigDecimal cumulativeTradingFees;
  private final BigDecimal cumulativeFunding;
  private final Instant updatedAt;
  /** An operator paused DAILY, THRESHOLD and BAND rebalances (a PAUSE command). */
  private final boolean rebalancesPaused;
  private final BigDecimal adjustmentFactor;
  private final List<Flow> pendingFlows;
  // Derived once per book for the per-tick arithmetic (a book changes far less often than it is
  // valued): the same numbers, found with fewer and smaller operations.
  /** The shares, {@link Decimals#lean}: a whole number divides as a long. */
  private final BigDecimal leanShares;
  /** m·E_r, exact, or null when no management fee accrues. */
  private final BigDecimal managementFeeBase;
  /** P_r·(1 − m) for a long, P_r·(1 + m) for a short (exact), or null without a threshold. */
  private final BigDecimal thresholdPrice;

  /**
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
   * @param rebalancesPaused an operator paused the DAILY, THRESHOLD and BAND rebalances; inception,
   *     a manual rebalance, retirement and depletion still happen
   * @param adjustmentFactor how many original shares one share is now: the product of merge ratios
   *     divided by the product of split ratios (1 until the first split or merge)
   * @param pendingFlows accepted flows waiting for the first tick at or after their eventTime, in
   *     arrival order
   */
  public FundBook(
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
      Instant updatedAt,
      boolean rebalancesPaused,
      BigDecimal adjustmentFactor,
      List<Flow> pendingFlows) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(shares, "shares");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(cash, "cash");
    Objects.requireNonNull(cumulativeManagementFees, "cumulativeManagementFees");
    Objects.requireNonNull(cumulativeTradingFees, "cumulativeTradingFees");
    Objects.requireNonNull(cumulativeFunding, "cumulativeFunding");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(adjustmentFactor, "adjustmentFactor");
    Objects.requireNonNull(adjustmentFactor, "adjustmentFactor");
    this.spec = spec;
    this.stagedSpec = stagedSpec;
    this.status = status;
    this.shares = shares;
    this.quantity = quantity;
    this.cash = cash;
    this.lastRebalancePrice = lastRebalancePrice;
    this.lastRebalanceTime = lastRebalanceTime;
    this.equityAtLastRebalance = equityAtLastRebalance;
    this.nextScheduledRebalance = nextScheduledRebalance;
    this.sequence = sequence;
    this.cumulativeManagementFees = cumulativeManagementFees;
    this.cumulativeTradingFees = cumulativeTradingFees;
    this.cumulativeFunding = cumulativeFunding;
    this.updatedAt = updatedAt;
    this.rebalancesPaused = rebalancesPaused;
    this.adjustmentFactor = adjustmentFactor;
    this.pendingFlows = pendingFlows == null ? List.of() : List.copyOf(pendingFlows);
    this.leanShares = Decimals.lean(shares);
    this.managementFeeBase =
        equityAtLastRebalance == null || lastRebalanceTime == null || spec.managementFeeDaily().signum() == 0
            ? null
            : Decimals.lean(Decimals.lean(spec.managementFeeDaily()).multiply(equityAtLastRebalance));
    this.thresholdPrice = spec.thresholdMove() == null || lastRebalancePrice == null
        ? null
        : Decimals.lean(lastRebalancePrice.multiply(spec.direction() == Direction.LONG
            ? BigDecimal.ONE.subtract(spec.thresholdMove())
            : BigDecimal.ONE.add(spec.thresholdMove())));
  }

  /** A fund that has been defined and waits for its first price. */
  public static FundBook pending(FundSpec spec, Instant at) {
    return new FundBook(
        spec, null, FundStatus.PENDING, Decimals.round(spec.initialShares()), Decimals.ZERO,
        Decimals.ZERO, null, null, null, null, 0L, Decimals.ZERO, Decimals.ZERO, Decimals.ZERO, at,
        false, Decimals.ONE, List.of());
  }

  public String fundId() {
    return spec.fundId();
  }

  public String underlying() {
    return spec.underlying();
  }

  /** Management fee accrued since the last rebalance, linear in time on E_r: m·E_r·Δt / day. */
  BigDecimal accruedManagementFee(Instant at) {
    if (managementFeeBase == null) {
      return Decimals.ZERO;
    }
    long elapsed = Math.max(0L, at.toEpochMilli() - lastRebalanceTime.toEpochMilli());
    BigDecimal numerator = managementFeeBase.multiply(BigDecimal.valueOf(elapsed));
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
        cumulativeManagementFees, cumulativeTradingFees, cumulativeFunding, at, rebalancesPaused,
        adjustmentFactor, pendingFlows);
  }

  /** The same book with other pending flows. */
  FundBook withPendingFlows(List<Flow> flows, Instant at) {
    return new FundBook(spec, stagedSpec, status, shares, quantity, cash, lastRebalancePrice,
        lastRebalanceTime, equityAtLastRebalance, nextScheduledRebalance, sequence,
        cumulativeManagementFees, cumulativeTradingFees, cumulativeFunding, at, rebalancesPaused,
        adjustmentFactor, flows);
  }

  /** Whether a flow with this request id waits to be priced. */
  public boolean hasPendingFlow(String requestId) {
    for (Flow flow : pendingFlows) {
      if (flow.requestId().equals(requestId)) {
        return true;
      }
    }
    return false;
  }

  FundBook withRebalancesPaused(boolean paused, Instant at) {
    return new FundBook(spec, stagedSpec, status, shares, quantity, cash, lastRebalancePrice,
        lastRebalanceTime, equityAtLastRebalance, nextScheduledRebalance, sequence,
        cumulativeManagementFees, cumulativeTradingFees, cumulativeFunding, at, paused,
        adjustmentFactor, pendingFlows);
  }

  /** {@link #shares()}, lean: the divisor of NAV. */
  BigDecimal leanShares() {
    return leanShares;
  }

  /**
   * The price at which the threshold rule fires: at or below it for a long, at or above it for a
   * short; null when the fund has no threshold or no rebalance price yet.
   */
  BigDecimal thresholdPrice() {
    return thresholdPrice;
  }

  public FundSpec spec() {
    return spec;
  }

  public FundSpec stagedSpec() {
    return stagedSpec;
  }

  public FundStatus status() {
    return status;
  }

  public BigDecimal shares() {
    return shares;
  }

  public BigDecimal quantity() {
    return quantity;
  }

  public BigDecimal cash() {
    return cash;
  }

  public BigDecimal lastRebalancePrice() {
    return lastRebalancePrice;
  }

  public Instant lastRebalanceTime() {
    return lastRebalanceTime;
  }

  public BigDecimal equityAtLastRebalance() {
    return equityAtLastRebalance;
  }

  public Instant nextScheduledRebalance() {
    return nextScheduledRebalance;
  }

  public long sequence() {
    return sequence;
  }

  public BigDecimal cumulativeManagementFees() {
    return cumulativeManagementFees;
  }

  public BigDecimal cumulativeTradingFees() {
    return cumulativeTradingFees;
  }

  public BigDecimal cumulativeFunding() {
    return cumulativeFunding;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  public boolean rebalancesPaused() {
    return rebalancesPaused;
  }

  public BigDecimal adjustmentFactor() {
    return adjustmentFactor;
  }

  public List<Flow> pendingFlows() {
    return pendingFlows;
  }

  /** Equal when every field is, as for a record. */
  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof FundBook other && Objects.equals(spec, other.spec) && Objects.equals(stagedSpec, other.stagedSpec) && Objects.equals(status, other.status) && Objects.equals(shares, other.shares) && Objects.equals(quantity, other.quantity) && Objects.equals(cash, other.cash) && Objects.equals(lastRebalancePrice, other.lastRebalancePrice) && Objects.equals(lastRebalanceTime, other.lastRebalanceTime) && Objects.equals(equityAtLastRebalance, other.equityAtLastRebalance) && Objects.equals(nextScheduledRebalance, other.nextScheduledRebalance) && sequence == other.sequence && Objects.equals(cumulativeManagementFees, other.cumulativeManagementFees) && Objects.equals(cumulativeTradingFees, other.cumulativeTradingFees) && Objects.equals(cumulativeFunding, other.cumulativeFunding) && Objects.equals(updatedAt, other.updatedAt) && rebalancesPaused == other.rebalancesPaused && Objects.equals(adjustmentFactor, other.adjustmentFactor) && Objects.equals(pendingFlows, other.pendingFlows));
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, stagedSpec, status, shares, quantity, cash, lastRebalancePrice, lastRebalanceTime, equityAtLastRebalance, nextScheduledRebalance, sequence, cumulativeManagementFees, cumulativeTradingFees, cumulativeFunding, updatedAt, rebalancesPaused, adjustmentFactor, pendingFlows);
  }

  @Override
  public String toString() {
    return "FundBook[" + "spec=" + spec + ", "
        + "stagedSpec=" + stagedSpec + ", "
        + "status=" + status + ", "
        + "shares=" + shares + ", "
        + "quantity=" + quantity + ", "
        + "cash=" + cash + ", "
        + "lastRebalancePrice=" + lastRebalancePrice + ", "
        + "lastRebalanceTime=" + lastRebalanceTime + ", "
        + "equityAtLastRebalance=" + equityAtLastRebalance + ", "
        + "nextScheduledRebalance=" + nextScheduledRebalance + ", "
        + "sequence=" + sequence + ", "
        + "cumulativeManagementFees=" + cumulativeManagementFees + ", "
        + "cumulativeTradingFees=" + cumulativeTradingFees + ", "
        + "cumulativeFunding=" + cumulativeFunding + ", "
        + "updatedAt=" + updatedAt + ", "
        + "rebalancesPaused=" + rebalancesPaused + ", "
        + "adjustmentFactor=" + adjustmentFactor + ", "
        + "pendingFlows=" + pendingFlows + "]";
  }
}
