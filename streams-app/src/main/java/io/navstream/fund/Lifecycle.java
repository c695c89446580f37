package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fund-lifecycle rules: creations and redemptions priced forward, and NAV splits and merges.
 * Called by {@link Fund}; see the README's "Fund lifecycle" for the contract.
 */
final class Lifecycle {
  private Lifecycle() {}

  // --- flows: arrival ---------------------------------------------------------------------------

  static FlowDecision onFlow(FundBook book, Flow flow, Instant time) {
    if (book == null) {
      return refuse(flow, FlowOutcome.Rejection.UNKNOWN_FUND, "Fund '" + flow.fundId() + "' is unknown", time);
    }
    if (flow.amount().signum() <= 0) {
      return refuse(flow, FlowOutcome.Rejection.NON_POSITIVE_AMOUNT,
          "Amount " + flow.amount().toPlainString() + " is not positive", time);
    }
    if (book.status() != FundStatus.ACTIVE) {
      return book.status() == FundStatus.PENDING
          ? refuse(flow, FlowOutcome.Rejection.NO_PRICE, "Fund '" + flow.fundId()
              + "' has no price yet, so no NAV to price a flow at", time)
          : refuse(flow, FlowOutcome.Rejection.FUND_CLOSED,
              "Fund '" + flow.fundId() + "' is " + book.status() + " and takes no flows", time);
    }
    if (book.spec().inFlowBlackout(flow.eventTime())) {
      return refuse(flow, FlowOutcome.Rejection.BLACKOUT, "Flows are suspended within "
          + book.spec().flowBlackout().toMinutes() + " minutes of the daily rebalance at "
          + book.spec().dailyRebalanceTimeText() + " " + book.spec().zone().getId(), time);
    }
    if (flow.type() == FlowType.REDEEM && flow.amount().compareTo(book.shares()) >= 0) {
      return refuse(flow, FlowOutcome.Rejection.EXCEEDS_OUTSTANDING, exceeds(flow, book), time);
    }
    if (book.hasPendingFlow(flow.requestId())) {
      return new FlowDecision.AlreadyPending();
    }
    List<Flow> pending = new ArrayList<>(book.pendingFlows());
    pending.add(flow);
    return new FlowDecision.Queued(book.withPendingFlows(pending, time));
  }

  private static FlowDecision refuse(Flow flow, FlowOutcome.Rejection rejection, String message, Instant time) {
    return new FlowDecision.Refused(FlowOutcome.rejected(flow, rejection, message, time));
  }

  private static String exceeds(Flow flow, FundBook book) {
    return "Redeeming " + flow.amount().stripTrailingZeros().toPlainString() + " shares of '"
        + flow.fundId() + "' needs fewer than the " + book.shares().stripTrailingZeros().toPlainString()
        + " outstanding (the last shares are closed by retiring the fund)";
  }

  // --- flows: pricing ---------------------------------------------------------------------------

  /**
   * Prices the pending flows whose eventTime is at or before this tick, in arrival order, at the
   * NAV after the tick's own step; a fund that closed on this tick refuses them all.
   */
  static Step priceFlows(Step step, BigDecimal price, Instant time) {
    FundBook book = step.book();
    List<Flow> due = new ArrayList<>();
    List<Flow> waiting = new ArrayList<>();
    for (Flow flow : book.pendingFlows()) {
      (book.status() != FundStatus.ACTIVE || !flow.eventTime().isAfter(time) ? due : waiting).add(flow);
    }
    if (due.isEmpty()) {
      return step;
    }
    List<Rebalance> trades = new ArrayList<>();
    List<FlowOutcome> outcomes = new ArrayList<>();
    for (Flow flow : due) {
      if (book.status() != FundStatus.ACTIVE) {
        outcomes.add(FlowOutcome.rejected(flow, FlowOutcome.Rejection.FUND_CLOSED,
            "Fund '" + flow.fundId() + "' became " + book.status() + " before the flow was priced", time));
        continue;
      }
      if (flow.type() == FlowType.REDEEM && flow.amount().compareTo(book.shares()) >= 0) {
        outcomes.add(FlowOutcome.rejected(flow, FlowOutcome.Rejection.EXCEEDS_OUTSTANDING, exceeds(flow, book), time));
        continue;
      }
      Priced priced = price(book, flow, price, time);
      book = priced.book();
      trades.add(priced.trade());
      outcomes.add(priced.outcome());
    }
    book = book.withPendingFlows(waiting, time);
    Optional<NavPoint> nav = step.nav();
    if (book.status() == FundStatus.ACTIVE && !trades.isEmpty()) {
      BigDecimal equity = book.equityAt(price, time);
      nav = Optional.of(Fund.navPoint(book, price, time, equity, Fund.leverage(book.quantity(), price, equity)));
    }
    return new Step(book, true, step.rebalance(), nav, step.corporateAction(), trades, outcomes);
  }

  private record Priced(FundBook book, Rebalance trade, FlowOutcome outcome) {}

  /**
   * One flow at the NAV of this tick. The accrued management fee is settled first (the flow is a
   * rebalance and the fee base moves with it); then cash moves by the flow's equity and the fund
   * trades so that its effective leverage, fee included, is what it was: holders' exposure does
   * not change. The threshold reference price and the daily schedule stay.
   */
  private static Priced price(FundBook book, Flow flow, BigDecimal price, Instant time) {
    FundSpec spec = book.spec();
    BigDecimal equity = book.equityAt(price, time);
    BigDecimal nav = Decimals.divide(equity, book.shares());
    BigDecimal leverage = Fund.leverage(book.quantity(), price, equity);
    BigDecimal managementFee = book.accruedManagementFee(time);
    BigDecimal cash = book.cash().subtract(managementFee);

    BigDecimal shares;
    BigDecimal fee;
    BigDecimal moved; // the flow's cash to or from the holder, net of fee
    BigDecimal sharesAfter;
    BigDecimal equityAfterFlow;
    if (flow.type() == FlowType.CREATE) {
      BigDecimal amount = Decimals.round(flow.amount());
      fee = Decimals.round(amount.multiply(spec.creationFee()));
      moved = amount.subtract(fee);
      shares = Decimals.divide(moved, nav);
      sharesAfter = book.shares().add(shares);
      cash = cash.add(moved);
      equityAfterFlow = equity.add(moved);
    } else {
      shares = Decimals.round(flow.amount());
      BigDecimal gross = Decimals.round(shares.multiply(nav));
      fee = Decimals.round(gross.multiply(spec.redemptionFee()));
      moved = gross.subtract(fee);
      sharesAfter = book.shares().subtract(shares);
      // The holder gets gross − fee and the fee goes to the issuer: the fund pays out gross.
      cash = cash.subtract(gross);
      equityAfterFlow = equity.subtract(gross);
    }
    BigDecimal quantity = RebalanceSizing.quantityAfter(spec, leverage, equityAfterFlow, book.quantity(), price);
    BigDecimal delta = quantity.subtract(book.quantity());
    BigDecimal tradingFee = Decimals.round(spec.tradingFeeRate().multiply(delta.abs()).multiply(price));
    cash = Decimals.round(cash.subtract(delta.multiply(price)).subtract(tradingFee));
    BigDecimal equityAfter = Decimals.round(cash.add(quantity.multiply(price)));
    long sequence = book.sequence() + 1;
    FundBook next = new FundBook(spec, book.stagedSpec(), book.status(), sharesAfter, quantity, cash,
        book.lastRebalancePrice(), time, equityAfter, book.nextScheduledRebalance(), sequence,
        book.cumulativeManagementFees().add(managementFee),
        book.cumulativeTradingFees().add(tradingFee), book.cumulativeFunding(), time,
        book.rebalancesPaused(), book.adjustmentFactor(), book.pendingFlows());
    Rebalance trade = new Rebalance(spec.fundId(), spec.underlying(), sequence, RebalanceReason.FLOW,
        time, price, nav, leverage, Fund.leverage(quantity, price, equityAfter), book.quantity(),
        quantity, tradingFee);
    FlowOutcome outcome = new FlowOutcome(flow.requestId(), flow.fundId(), flow.type(), flow.amount(),
        shares, nav, fee, moved, null, null, time);
    return new Priced(next, trade, outcome);
  }

  // --- splits and merges ------------------------------------------------------------------------

  record Adjusted(FundBook book, CorporateAction action) {}

  /**
   * The split or merge a just-rebalanced book needs under its policy, or null. Shares and the
   * adjustment factor change by the ratio; pending redemptions, which count shares, change with
   * them.
   */
  static Adjusted splitOrMerge(FundBook book, BigDecimal equity, Instant time) {
    NavPolicy policy = book.spec().navPolicy();
    BigDecimal navBefore = Decimals.divide(equity, book.shares());
    Optional<NavPolicy.Choice> choice = policy.choose(navBefore);
    if (choice.isEmpty()) {
      return null;
    }
    BigDecimal ratio = BigDecimal.valueOf(choice.get().ratio());
    boolean split = choice.get().type() == CorporateAction.Type.SPLIT;
    BigDecimal shares = split ? Decimals.round(book.shares().multiply(ratio)) : Decimals.divide(book.shares(), ratio);
    BigDecimal factor = split ? Decimals.divide(book.adjustmentFactor(), ratio)
        : Decimals.round(book.adjustmentFactor().multiply(ratio));
    List<Flow> pending = new ArrayList<>(book.pendingFlows().size());
    for (Flow flow : book.pendingFlows()) {
      pending.add(flow.type() != FlowType.REDEEM ? flow
          : flow.withAmount(split ? Decimals.round(flow.amount().multiply(ratio)) : Decimals.divide(flow.amount(), ratio)));
    }
    FundBook next = new FundBook(book.spec(), book.stagedSpec(), book.status(), shares, book.quantity(),
        book.cash(), book.lastRebalancePrice(), book.lastRebalanceTime(), book.equityAtLastRebalance(),
        book.nextScheduledRebalance(), book.sequence(), book.cumulativeManagementFees(),
        book.cumulativeTradingFees(), book.cumulativeFunding(), time, book.rebalancesPaused(), factor,
        pending);
    CorporateAction action = new CorporateAction(book.fundId(), choice.get().type(), choice.get().ratio(),
        navBefore, Decimals.divide(equity, shares), book.shares(), shares, factor, time);
    return new Adjusted(next, action);
  }
}
