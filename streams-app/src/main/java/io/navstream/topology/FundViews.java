package io.navstream.topology;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundState;
import io.navstream.avro.internal.UnderlyingMark;
import io.navstream.fund.Decimals;
import io.navstream.fund.Direction;
import io.navstream.fund.FundBook;
import io.navstream.fund.FundStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A fund's live view for the operator API: the stored book ({@code fund-books}) valued at its
 * underlying's last price and watermark ({@code underlying-marks}) with the domain's own arithmetic
 * ({@link FundBook#equityAt}), so a view equals the NAV update the last tick produced. Live NAV is
 * computed here, never stored.
 */
public final class FundViews {
  private FundViews() {}

  /**
   * @param price the underlying's last price, null before any tick (or before inception)
   * @param valuedAt the underlying's watermark, the event time the values are for
   * @param equity E = C + q·P − accrued management fee, at {@code valuedAt}; null without a price
   * @param nav E / shares (0 once DEPLETED); null without a price
   * @param leverage |q|·P / E (0 when E ≤ 0); null without a price
   * @param accruedManagementFee the fee accrued since the last rebalance at {@code valuedAt}
   * @param thresholdPrice long P_r·(1−m), short P_r·(1+m); null without thresholdMove or P_r
   * @param leverageMinPrice the price at which leverage reaches minLeverage, null if none
   * @param leverageMaxPrice the price at which leverage reaches maxLeverage, null if none
   */
  public record FundView(
      String fundId,
      String underlying,
      FundStatus status,
      Direction direction,
      FundDefinition definition,
      BigDecimal shares,
      BigDecimal positionQuantity,
      BigDecimal cash,
      BigDecimal price,
      Instant valuedAt,
      Instant bookUpdatedAt,
      BigDecimal equity,
      BigDecimal nav,
      BigDecimal leverage,
      BigDecimal accruedManagementFee,
      BigDecimal lastRebalancePrice,
      Instant lastRebalanceTime,
      Instant nextScheduledRebalance,
      long rebalanceSequence,
      boolean rebalancesPaused,
      BigDecimal targetLeverage,
      BigDecimal minLeverage,
      BigDecimal maxLeverage,
      BigDecimal thresholdMove,
      BigDecimal thresholdPrice,
      BigDecimal leverageMinPrice,
      BigDecimal leverageMaxPrice) {}

  /** The view of {@code state} at {@code mark} (null when the underlying has no price yet). */
  public static FundView view(FundState state, UnderlyingMark mark) {
    Objects.requireNonNull(state, "state");
    FundBook book = BookCodec.book(state);
    FundDefinition def = state.getDefinition();
    BigDecimal price = mark == null ? null : mark.getLastPrice();
    Instant at = mark == null ? state.getEventTime() : max(mark.getWatermark(), state.getEventTime());
    boolean valued = price != null && book.lastRebalancePrice() != null;
    BigDecimal equity = null;
    BigDecimal nav = null;
    BigDecimal leverage = null;
    BigDecimal fee = Decimals.ZERO;
    if (valued) {
      equity = book.equityAt(price, at);
      // The same fee equityAt took: C + q·P − E.
      fee = Decimals.round(book.cash().add(book.quantity().multiply(price)).subtract(equity));
      nav = book.status() == FundStatus.DEPLETED ? Decimals.ZERO : Decimals.divide(equity, book.shares());
      leverage = equity.signum() <= 0
          ? Decimals.ZERO
          : Decimals.divide(book.quantity().abs().multiply(price), equity);
    }
    BigDecimal pr = book.lastRebalancePrice();
    BigDecimal m = def.getThresholdMove();
    BigDecimal thresholdPrice = null;
    if (pr != null && m != null) {
      BigDecimal factor = book.spec().direction() == Direction.LONG
          ? BigDecimal.ONE.subtract(m)
          : BigDecimal.ONE.add(m);
      thresholdPrice = Decimals.round(pr.multiply(factor));
    }
    return new FundView(
        book.fundId(), book.underlying(), book.status(), book.spec().direction(), def,
        book.shares(), book.quantity(), book.cash(), price, at, state.getEventTime(),
        equity, nav, leverage, fee, pr, book.lastRebalanceTime(), book.nextScheduledRebalance(),
        book.sequence(), state.getRebalancesPaused(), def.getTargetLeverage(), def.getMinLeverage(),
        def.getMaxLeverage(), m, thresholdPrice,
        bandPrice(book, def.getMinLeverage(), fee), bandPrice(book, def.getMaxLeverage(), fee));
  }

  /**
   * The price P at which the leverage of the current book reaches {@code bound} B, holding the
   * position q, the cash C and the accrued fee f fixed (the book only changes at a rebalance):
   *
   * <pre>
   *   |q|·P / (C + q·P − f) = B   ⇔   |q|·P = B·(C − f) + B·q·P   ⇔   P = B·(C − f) / (|q| − B·q)
   * </pre>
   *
   * A long (q &gt; 0, C &lt; 0) reaches a higher leverage as the price falls; a short (q &lt; 0,
   * C &gt; 0) as it rises. Null when there is no band bound, no position, or no positive solution
   * (the leverage never reaches B at any price).
   */
  static BigDecimal bandPrice(FundBook book, BigDecimal bound, BigDecimal fee) {
    BigDecimal q = book.quantity();
    if (bound == null || q.signum() == 0) {
      return null;
    }
    BigDecimal denominator = q.abs().subtract(bound.multiply(q));
    if (denominator.signum() == 0) {
      return null;
    }
    BigDecimal p = Decimals.divide(bound.multiply(book.cash().subtract(fee)), denominator);
    return p.signum() > 0 ? p : null;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
