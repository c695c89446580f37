package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rules of a leveraged token, one input at a time. Stateless: every method takes a book and
 * returns what the input did to it. See the README's "NAV semantics" for the contract these
 * implement, numbered as there.
 */
public final class Fund {
  private static final int BAND_SCALE = 12;
  /** 10^-BAND_SCALE (see {@link #nearBound}), at the stored scale so it compares as a long. */
  private static final BigDecimal BAND_MARGIN =
      BigDecimal.ONE.scaleByPowerOfTen(-BAND_SCALE).setScale(Decimals.SCALE);

  private Fund() {}

  /**
   * A price tick of the fund's underlying (rules 1, 2, 5, 8 and 9). The price may have any scale:
   * a {@link Decimals#lean} one is fastest; the book keeps it at the stored scale.
   */
  public static Step onPrice(FundBook book, BigDecimal price, Instant time) {
    Step step = switch (book.status()) {
      case PENDING -> time.isBefore(book.spec().effectiveTime())
          ? Step.unchanged(book)
          : incept(book, price, time);
      case ACTIVE, RETIRING -> onLivePrice(book, price, time);
      case RETIRED, DEPLETED -> Step.unchanged(book);
    };
    // Flows are priced forward: at this tick's NAV, after whatever the tick itself did.
    return step.book().pendingFlows().isEmpty() ? step : Lifecycle.priceFlows(step, price, time);
  }

  /**
   * A creation or redemption arrives (see the README's "Fund lifecycle"). It is checked now and,
   * when acceptable, queued in the book until the first tick at or after its eventTime prices it.
   *
   * @param book the fund's book, or null when the fund is unknown
   * @param time the flow's record time
   */
  public static FlowDecision onFlow(FundBook book, Flow flow, Instant time) {
    return Lifecycle.onFlow(book, flow, time);
  }

  /**
   * A funding payment (rule 4): −q × P_last × rate moves into cash. Longs pay a positive rate and
   * shorts receive it. It never triggers a rebalance.
   */
  public static Step onFunding(FundBook book, BigDecimal rate, BigDecimal lastPrice, Instant time) {
    if (!book.status().isLive() || lastPrice == null) {
      return Step.unchanged(book);
    }
    BigDecimal payment = Decimals.round(book.quantity().negate().multiply(lastPrice).multiply(rate));
    FundBook next = new FundBook(book.spec(), book.stagedSpec(), book.status(), book.shares(),
        book.quantity(), book.cash().add(payment), book.lastRebalancePrice(),
        book.lastRebalanceTime(), book.equityAtLastRebalance(), book.nextScheduledRebalance(),
        book.sequence(), book.cumulativeManagementFees(), book.cumulativeTradingFees(),
        book.cumulativeFunding().add(payment), time, book.rebalancesPaused(),
        book.adjustmentFactor(), book.pendingFlows());
    BigDecimal equity = next.equityAt(lastPrice, time);
    NavPoint nav = navPoint(next, lastPrice, time, equity, leverage(next.quantity(), lastPrice, equity));
    return new Step(next, true, Optional.empty(), Optional.of(nav));
  }

  /**
   * A new definition for a fund (rule 7). Before inception it replaces the old one; after, the
   * immutable fields must not change and anything else is staged until the next DAILY, THRESHOLD
   * or BAND rebalance.
   *
   * @param book the fund's book, or null for a fund not seen before
   */
  public static Decision onDefinition(FundBook book, FundSpec spec, Instant time) {
    if (book == null) {
      return new Decision.Accepted(FundBook.pending(spec, time));
    }
    return switch (book.status()) {
      case PENDING -> book.underlying().equals(spec.underlying())
          ? new Decision.Accepted(
              FundBook.pending(spec, time).withRebalancesPaused(book.rebalancesPaused(), time))
          : rejected(Decision.Reason.IMMUTABLE_FIELD_CHANGED, "Fund '" + spec.fundId()
              + "' lives on underlying " + book.underlying() + "; its underlying cannot change to "
              + spec.underlying() + ". Retire it and define a new fundId.");
      case ACTIVE -> {
        List<String> changed = book.spec().immutableFieldsChangedBy(spec);
        yield changed.isEmpty()
            ? new Decision.Accepted(new FundBook(book.spec(), spec, book.status(), book.shares(),
                book.quantity(), book.cash(), book.lastRebalancePrice(), book.lastRebalanceTime(),
                book.equityAtLastRebalance(), book.nextScheduledRebalance(), book.sequence(),
                book.cumulativeManagementFees(), book.cumulativeTradingFees(),
                book.cumulativeFunding(), time, book.rebalancesPaused(),
        book.adjustmentFactor(), book.pendingFlows()))
            : rejected(Decision.Reason.IMMUTABLE_FIELD_CHANGED, "Fund '" + spec.fundId()
                + "' has incepted; " + String.join(", ", changed) + " cannot change");
      }
      case RETIRING, RETIRED, DEPLETED -> rejected(Decision.Reason.FUND_CLOSED, "Fund '"
          + spec.fundId() + "' is " + book.status() + "; a fundId is never reused");
    };
  }

  /**
   * A retirement (rule 8): a fund that never incepted just stops; a live one closes its position at
   * the next tick of its underlying.
   *
   * @param book the fund's book, or null when the fund is unknown
   */
  public static Decision onRetirement(FundBook book, String fundId, Instant time) {
    if (book == null) {
      return rejected(Decision.Reason.UNKNOWN_FUND, "Cannot retire unknown fund '" + fundId + "'");
    }
    return switch (book.status()) {
      case PENDING -> new Decision.Accepted(book.with(FundStatus.RETIRED, time));
      case ACTIVE -> new Decision.Accepted(book.with(FundStatus.RETIRING, time));
      case RETIRING, RETIRED, DEPLETED -> rejected(Decision.Reason.FUND_CLOSED,
          "Fund '" + fundId + "' is already " + book.status());
    };
  }

  // --- operator commands (rule 13) --------------------------------------------------------

  /**
   * A manual rebalance (an operator's REBALANCE command): re-levers an ACTIVE fund to its target
   * leverage at the underlying's last price, paused or not, as a rebalance with reason MANUAL. It
   * restarts the daily schedule and the threshold reference like any rebalance, but does not apply
   * a staged definition. A fund that has not incepted has no position and no price to trade at, so
   * the command is refused rather than deferred: it would otherwise fire at an unforeseeable time.
   *
   * @param book the fund's book, or null when the fund is unknown
   * @param lastPrice the underlying's last price, or null when it has none yet
   * @param time when the command takes effect
   */
  public static Decision onManualRebalance(FundBook book, String fundId, BigDecimal lastPrice, Instant time) {
    if (book == null) {
      return rejected(Decision.Reason.UNKNOWN_FUND, "Cannot rebalance unknown fund '" + fundId + "'");
    }
    return switch (book.status()) {
      case PENDING -> rejected(Decision.Reason.NOT_INCEPTED, "Fund '" + fundId
          + "' has not incepted: it holds no position and has no price to rebalance at");
      case ACTIVE -> {
        if (lastPrice == null) { // an ACTIVE fund incepted on a price; kept for safety
          yield rejected(Decision.Reason.NOT_INCEPTED, "No price of " + book.underlying() + " yet");
        }
        BigDecimal equity = book.equityAt(lastPrice, time);
        yield new Decision.Traded(equity.signum() <= 0
            ? close(book, lastPrice, time, equity, RebalanceReason.DEPLETION)
            : rebalance(book, lastPrice, time, equity, RebalanceReason.MANUAL));
      }
      case RETIRING, RETIRED, DEPLETED -> rejected(Decision.Reason.FUND_CLOSED,
          "Fund '" + fundId + "' is " + book.status() + "; it cannot be rebalanced");
    };
  }

  /**
   * Pauses (PAUSE) or resumes (RESUME) a fund's DAILY, THRESHOLD and BAND rebalances. While paused
   * NAV keeps moving and inception, manual rebalances, retirement and depletion still happen; a
   * daily rebalance that fell due meanwhile fires at the first tick after the resume, since every
   * tick re-evaluates the triggers. Pausing a paused fund (or resuming a running one) changes
   * nothing but the book's time.
   *
   * @param book the fund's book, or null when the fund is unknown
   */
  public static Decision onPause(FundBook book, String fundId, boolean paused, Instant time) {
    if (book == null) {
      return rejected(Decision.Reason.UNKNOWN_FUND, "Cannot " + (paused ? "pause" : "resume")
          + " unknown fund '" + fundId + "'");
    }
    return switch (book.status()) {
      case PENDING, ACTIVE -> new Decision.Accepted(book.withRebalancesPaused(paused, time));
      case RETIRING, RETIRED, DEPLETED -> rejected(Decision.Reason.FUND_CLOSED,
          "Fund '" + fundId + "' is " + book.status() + "; it cannot be " + (paused ? "paused" : "resumed"));
    };
  }

  // --- rule 1: inception -------------------------------------------------------------------

  private static Step incept(FundBook book, BigDecimal price, Instant time) {
    FundSpec spec = book.spec();
    BigDecimal equity = Decimals.round(spec.initialNav().multiply(spec.initialShares()));
    BigDecimal sL = spec.direction().sign().multiply(spec.targetLeverage());
    BigDecimal quantity = Decimals.divide(sL.multiply(equity), price);
    BigDecimal cash = Decimals.round(equity.subtract(quantity.multiply(price)));
    BigDecimal leverage = leverage(quantity, price, equity);
    long sequence = book.sequence() + 1;
    FundBook next = new FundBook(spec, null, FundStatus.ACTIVE, book.shares(), quantity, cash,
        Decimals.widen(price), time, equity, spec.nextDailyRebalanceAfter(time), sequence, book.cumulativeManagementFees(),
        book.cumulativeTradingFees(), book.cumulativeFunding(), time, book.rebalancesPaused(),
        book.adjustmentFactor(), book.pendingFlows());
    BigDecimal nav = Decimals.round(spec.initialNav());
    Rebalance rebalance = new Rebalance(spec.fundId(), spec.underlying(), sequence,
        RebalanceReason.INCEPTION, time, price, nav, Decimals.ZERO, leverage, Decimals.ZERO,
        quantity, Decimals.ZERO);
    // The first NAV is initialNav by definition: E was set, not derived from a rounded q.
    NavPoint navPoint = new NavPoint(spec.fundId(), spec.underlying(), time, price, nav, leverage,
        equity, next.shares(), quantity, cash, FundStatus.ACTIVE, book.adjustmentFactor());
    return new Step(next, true, Optional.of(rebalance), Optional.of(navPoint));
  }

  // --- rules 2, 5, 8, 9: a tick of a live fund ---------------------------------------------

  private static Step onLivePrice(FundBook book, BigDecimal price, Instant time) {
    // q·P once: equity and leverage (|q|·P, which is |q·P| for a positive price) start from it.
    BigDecimal positionValue = book.quantity().multiply(price);
    BigDecimal equity = book.equityWith(positionValue, time);
    if (equity.signum() <= 0) {
      return close(book, price, time, equity, RebalanceReason.DEPLETION);
    }
    if (book.status() == FundStatus.RETIRING) {
      return close(book, price, time, equity, RebalanceReason.RETIREMENT);
    }
    BigDecimal exposure = price.signum() > 0 ? positionValue.abs() : book.quantity().abs().multiply(price);
    BigDecimal leverage = Decimals.divide(exposure, equity);
    // Paused: NAV moves, the scheduled, threshold and band rules wait (see onPause).
    RebalanceReason trigger = book.rebalancesPaused() ? null : trigger(book, price, time, equity, leverage);
    if (trigger == null) {
      return Step.navOnly(book, navPoint(book, price, time, equity, leverage));
    }
    return rebalance(book, price, time, equity, trigger);
  }

  /** Rule 5: the first trigger that holds, in the order DAILY, THRESHOLD, BAND; or null. */
  static RebalanceReason trigger(FundBook book, BigDecimal price, Instant time, BigDecimal equity) {
    return trigger(book, price, time, equity, leverage(book.quantity(), price, equity));
  }

  /**
   * {@link #trigger(FundBook, BigDecimal, Instant, BigDecimal)} given the leverage already
   * computed at the stored scale, which settles the band test without another division unless it
   * lies within {@link #BAND_MARGIN} of a bound.
   */
  private static RebalanceReason trigger(
      FundBook book, BigDecimal price, Instant time, BigDecimal equity, BigDecimal leverage) {
    FundSpec spec = book.spec();
    if (book.nextScheduledRebalance() != null && !time.isBefore(book.nextScheduledRebalance())) {
      return RebalanceReason.DAILY;
    }
    if (spec.thresholdMove() != null && movedAgainst(book, price)) {
      return RebalanceReason.THRESHOLD;
    }
    if (spec.minLeverage() != null || spec.maxLeverage() != null) {
      BigDecimal lev = leverage;
      if (nearBound(lev, spec.minLeverage()) || nearBound(lev, spec.maxLeverage())) {
        // Only here can rounding to BAND_SCALE decide differently: compare what the rule says.
        lev = book.quantity().abs().multiply(price).divide(equity, BAND_SCALE, Decimals.ROUNDING);
      }
      if ((spec.minLeverage() != null && lev.compareTo(spec.minLeverage()) < 0)
          || (spec.maxLeverage() != null && lev.compareTo(spec.maxLeverage()) > 0)) {
        return RebalanceReason.BAND;
      }
    }
    return null;
  }

  /**
   * Whether the leverage at the stored scale, y, is within {@link #BAND_MARGIN} of a band bound b.
   * Farther away, the band rule's leverage (the exact x rounded to BAND_SCALE) lies on the same
   * side of b as y: |x − y| ≤ ½·10^-18 and rounding to 12 decimals moves x by at most ½·10^-12, so
   * y ≥ b + 10^-12 gives a leverage above b, and y ≤ b − 10^-12 one below.
   */
  private static boolean nearBound(BigDecimal leverage, BigDecimal bound) {
    return bound != null && leverage.subtract(bound).abs().compareTo(BAND_MARGIN) < 0;
  }

  /** Losing side only: a long rebalances on a fall of thresholdMove, a short on a rise. */
  static boolean movedAgainst(FundBook book, BigDecimal price) {
    // P_r·(1 ∓ thresholdMove), derived once per book.
    int cmp = price.compareTo(book.thresholdPrice());
    return book.spec().direction() == Direction.LONG ? cmp <= 0 : cmp >= 0;
  }

  private static Step rebalance(
      FundBook book, BigDecimal price, Instant time, BigDecimal equity, RebalanceReason reason) {
    FundSpec spec = book.spec();
    FundSpec staged = book.stagedSpec();
    if (staged != null && reason.appliesStagedDefinition() && !time.isBefore(staged.effectiveTime())) {
      spec = staged; // takes effect before sizing
      staged = null;
    }
    BigDecimal managementFee = book.accruedManagementFee(time);
    BigDecimal cash = book.cash().subtract(managementFee);
    BigDecimal navBefore = Decimals.divide(equity, book.shares());
    BigDecimal leverageBefore = leverage(book.quantity(), price, equity);
    // An operator's rebalance goes all the way to the target; the rules may recenter partway.
    BigDecimal target = reason == RebalanceReason.MANUAL
        ? spec.targetLeverage()
        : RebalanceSizing.targetLeverage(spec, leverageBefore);
    BigDecimal quantity = RebalanceSizing.quantityAfter(spec, target, equity, book.quantity(), price);

    BigDecimal delta = quantity.subtract(book.quantity());
    BigDecimal tradingFee = Decimals.round(spec.tradingFeeRate().multiply(delta.abs()).multiply(price));
    cash = Decimals.round(cash.subtract(delta.multiply(price)).subtract(tradingFee));
    BigDecimal equityAfter = Decimals.round(cash.add(quantity.multiply(price)));
    BigDecimal leverageAfter = leverage(quantity, price, equityAfter);
    long sequence = book.sequence() + 1;

    FundBook next = new FundBook(spec, staged, FundStatus.ACTIVE, book.shares(), quantity, cash,
        Decimals.widen(price), time, equityAfter, spec.nextDailyRebalanceAfter(time), sequence,
        book.cumulativeManagementFees().add(managementFee),
        book.cumulativeTradingFees().add(tradingFee), book.cumulativeFunding(), time,
        book.rebalancesPaused(),
        book.adjustmentFactor(), book.pendingFlows());
    Rebalance rebalance = new Rebalance(spec.fundId(), spec.underlying(), sequence, reason, time,
        price, navBefore, leverageBefore, leverageAfter, book.quantity(), quantity, tradingFee);
    Optional<CorporateAction> action = Optional.empty();
    if (reason.appliesStagedDefinition() && spec.navPolicy() != null) {
      // Splits and merges happen at a rebalance only, after its trade: equity is unchanged.
      Lifecycle.Adjusted adjusted = Lifecycle.splitOrMerge(next, equityAfter, time);
      if (adjusted != null) {
        next = adjusted.book();
        action = Optional.of(adjusted.action());
      }
    }
    NavPoint nav = navPoint(next, price, time, equityAfter, leverageAfter);
    return new Step(next, true, Optional.of(rebalance), Optional.of(nav), action, List.of(), List.of());
  }

  /**
   * Closes the position (rules 8 and 9). Retirement pays the accrued management fee and the
   * trading fee like any rebalance. Depletion pays the trading fee of the closing trade but waives
   * the management fee, since there is no equity left to charge it to; it reports nav 0.
   */
  private static Step close(
      FundBook book, BigDecimal price, Instant time, BigDecimal equity, RebalanceReason reason) {
    boolean depleted = reason == RebalanceReason.DEPLETION;
    BigDecimal managementFee = depleted ? Decimals.ZERO : book.accruedManagementFee(time);
    BigDecimal tradingFee =
        Decimals.round(book.spec().tradingFeeRate().multiply(book.quantity().abs()).multiply(price));
    BigDecimal cash = Decimals.round(
        book.cash().subtract(managementFee).add(book.quantity().multiply(price)).subtract(tradingFee));
    FundStatus status = depleted ? FundStatus.DEPLETED : FundStatus.RETIRED;
    long sequence = book.sequence() + 1;
    FundBook next = new FundBook(book.spec(), null, status, book.shares(), Decimals.ZERO, cash,
        Decimals.widen(price), time, cash, null, sequence, book.cumulativeManagementFees().add(managementFee),
        book.cumulativeTradingFees().add(tradingFee), book.cumulativeFunding(), time,
        book.rebalancesPaused(),
        book.adjustmentFactor(), book.pendingFlows());
    Rebalance rebalance = new Rebalance(book.fundId(), book.underlying(), sequence, reason, time,
        price, Decimals.divide(equity, book.shares()), leverage(book.quantity(), price, equity),
        Decimals.ZERO, book.quantity(), Decimals.ZERO, tradingFee);
    BigDecimal nav = depleted ? Decimals.ZERO : Decimals.divide(cash, book.shares());
    NavPoint navPoint = new NavPoint(book.fundId(), book.underlying(), time, price, nav,
        Decimals.ZERO, cash, book.shares(), Decimals.ZERO, cash, status, book.adjustmentFactor());
    return new Step(next, true, Optional.of(rebalance), Optional.of(navPoint));
  }

  // --- helpers ------------------------------------------------------------------------------

  /** Effective leverage |q|·P / E; reported as 0 when equity is gone (it is undefined there). */
  static BigDecimal leverage(BigDecimal quantity, BigDecimal price, BigDecimal equity) {
    return equity.signum() <= 0 ? Decimals.ZERO : Decimals.divide(quantity.abs().multiply(price), equity);
  }

  static NavPoint navPoint(
      FundBook book, BigDecimal price, Instant time, BigDecimal equity, BigDecimal leverage) {
    // Shares lean: usually a whole number, so the divisor is a long rather than a 3-word integer.
    return new NavPoint(book.fundId(), book.underlying(), time, price,
        Decimals.divide(equity, book.leanShares()), leverage, equity, book.shares(),
        book.quantity(), book.cash(), book.status(), book.adjustmentFactor());
  }

  private static Decision rejected(Decision.Reason reason, String message) {
    return new Decision.Rejected(reason, message);
  }
}
