package io.navstream.fund;

import static io.navstream.fund.Specs.T0;
import static io.navstream.fund.Specs.dec;
import static io.navstream.fund.Specs.fund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Creations, redemptions, splits and merges (README "Fund lifecycle"). */
class LifecycleTest {
  private static final BigDecimal TOLERANCE = new BigDecimal("1e-15");
  private static final Instant DAY1 = T0.plus(Duration.ofDays(1));

  private static Flow create(String id, String amount, Instant at) {
    return new Flow(id, "BTC3L", FlowType.CREATE, dec(amount), at);
  }

  private static Flow redeem(String id, String shares, Instant at) {
    return new Flow(id, "BTC3L", FlowType.REDEEM, dec(shares), at);
  }

  /** A 3x long with 1,000 shares at NAV 1, incepted at price 100 at T0. */
  private static FundBook incepted(Specs.Builder builder) {
    return Fund.onPrice(builder.shares("1000").pending(), dec("100"), T0).book();
  }

  private static FundBook queue(FundBook book, Flow flow) {
    FlowDecision decision = Fund.onFlow(book, flow, flow.eventTime());
    assertThat(decision).isInstanceOf(FlowDecision.Queued.class);
    return ((FlowDecision.Queued) decision).book();
  }

  private static FlowOutcome refused(FundBook book, Flow flow) {
    FlowDecision decision = Fund.onFlow(book, flow, flow.eventTime());
    assertThat(decision).isInstanceOf(FlowDecision.Refused.class);
    return ((FlowDecision.Refused) decision).outcome();
  }

  private static BigDecimal nav(FundBook book, String price, Instant at) {
    return Decimals.divide(book.equityAt(dec(price), at), book.shares());
  }

  @Nested
  class CreationsAndRedemptions {
    private final Specs.Builder threeLong = fund("BTC3L", "LONG", "3");

    @Test
    void aCreateMintsSharesAtTheTickNavAndLeavesNavUnchanged() {
      FundBook book = queue(incepted(threeLong), create("c1", "500", T0.plusSeconds(10)));
      Step step = Fund.onPrice(book, dec("105"), T0.plusSeconds(10));

      FlowOutcome outcome = step.flowOutcomes().get(0);
      // 3x long, +5%: NAV 1.15; 500 / 1.15 shares.
      assertThat(outcome.accepted()).isTrue();
      assertThat(outcome.nav()).isEqualByComparingTo("1.15");
      assertThat(outcome.shares()).isEqualByComparingTo(Decimals.divide(dec("500"), dec("1.15")));
      assertThat(outcome.fee()).isEqualByComparingTo("0");
      assertThat(step.book().shares()).isEqualByComparingTo(dec("1000").add(outcome.shares()));
      assertThat(step.nav().orElseThrow().nav()).isCloseTo(new BigDecimal("1.15"), within(TOLERANCE));
      assertThat(step.nav().orElseThrow().equity()).isCloseTo(new BigDecimal("1650"), within(TOLERANCE));
      assertThat(step.book().pendingFlows()).isEmpty();
    }

    @Test
    void aRedeemBurnsSharesAndPaysSharesTimesNav() {
      FundBook book = queue(incepted(threeLong), redeem("r1", "400", T0.plusSeconds(10)));
      Step step = Fund.onPrice(book, dec("105"), T0.plusSeconds(10));

      FlowOutcome outcome = step.flowOutcomes().get(0);
      assertThat(outcome.shares()).isEqualByComparingTo("400");
      assertThat(outcome.cash()).isEqualByComparingTo("460"); // 400 x 1.15
      assertThat(step.book().shares()).isEqualByComparingTo("600");
      assertThat(step.nav().orElseThrow().nav()).isCloseTo(new BigDecimal("1.15"), within(TOLERANCE));
    }

    @Test
    void feesGoToTheIssuerSoNavIsUnchanged() {
      Specs.Builder withFees = fund("BTC3L", "LONG", "3").creationFee("0.01").redemptionFee("0.02");
      FundBook book = queue(incepted(withFees), create("c1", "1000", T0.plusSeconds(10)));
      book = queue(book, redeem("r1", "100", T0.plusSeconds(10)));
      Step step = Fund.onPrice(book, dec("100"), T0.plusSeconds(10));

      FlowOutcome created = step.flowOutcomes().get(0);
      assertThat(created.fee()).isEqualByComparingTo("10");
      assertThat(created.cash()).isEqualByComparingTo("990");
      assertThat(created.shares()).isEqualByComparingTo("990");
      FlowOutcome redeemed = step.flowOutcomes().get(1);
      assertThat(redeemed.fee()).isEqualByComparingTo("2"); // 100 x 1 x 0.02
      assertThat(redeemed.cash()).isEqualByComparingTo("98");
      assertThat(step.book().shares()).isEqualByComparingTo("1890");
      assertThat(step.nav().orElseThrow().nav()).isEqualByComparingTo("1");
    }

    @Test
    void aTradingFeeOnTheFlowTradeIsTheOnlyNavChange() {
      Specs.Builder withTradingFee = fund("BTC3L", "LONG", "3").tradingFee("0.001");
      FundBook before = incepted(withTradingFee);
      BigDecimal navBefore = nav(before, "100", T0.plusSeconds(10));
      Step step = Fund.onPrice(queue(before, create("c1", "1000", T0.plusSeconds(10))), dec("100"),
          T0.plusSeconds(10));

      Rebalance trade = step.flowTrades().get(0);
      BigDecimal expected = navBefore.subtract(Decimals.divide(trade.tradingFee(), step.book().shares()));
      assertThat(trade.tradingFee()).isPositive();
      assertThat(step.nav().orElseThrow().nav()).isCloseTo(expected, within(TOLERANCE));
    }

    @Test
    void theFundTradesToKeepItsEffectiveLeverageNotTheTarget() {
      Specs.Builder fund = fund("BTC3L", "LONG", "3").threshold("0.5").tradingFee("0.0005");
      FundBook book = incepted(fund);
      // +5%: leverage drifts from 3 to 3.15/1.15.
      BigDecimal drifted = Fund.leverage(book.quantity(), dec("105"), book.equityAt(dec("105"), T0));
      assertThat(drifted).isCloseTo(new BigDecimal("2.739130434782608696"), within(TOLERANCE));

      Step step = Fund.onPrice(queue(book, create("c1", "2000", T0.plusSeconds(60))), dec("105"),
          T0.plusSeconds(60));

      Rebalance trade = step.flowTrades().get(0);
      assertThat(trade.reason()).isEqualTo(RebalanceReason.FLOW);
      assertThat(trade.leverageBefore()).isCloseTo(drifted, within(TOLERANCE));
      assertThat(trade.leverageAfter()).isCloseTo(drifted, within(TOLERANCE));
      assertThat(step.nav().orElseThrow().leverage()).isCloseTo(drifted, within(TOLERANCE));
      assertThat(trade.side()).isEqualTo(TradeSide.BUY);
      assertThat(trade.sequence()).isEqualTo(book.sequence() + 1);
      // The threshold's reference price stays; the fee base moves by the flow.
      assertThat(step.book().lastRebalancePrice()).isEqualByComparingTo(book.lastRebalancePrice());
      assertThat(step.book().equityAtLastRebalance()).isEqualByComparingTo(step.nav().orElseThrow().equity());
      assertThat(step.book().nextScheduledRebalance()).isEqualTo(book.nextScheduledRebalance());
    }

    @Test
    void aRedeemOfAShortSellsLessShortKeepingLeverage() {
      FundBook book = incepted(fund("BTC3S", "SHORT", "3"));
      Step step = Fund.onPrice(queue(book, new Flow("r", "BTC3S", FlowType.REDEEM, dec("500"),
          T0.plusSeconds(1))), dec("98"), T0.plusSeconds(1));

      Rebalance trade = step.flowTrades().get(0);
      assertThat(trade.side()).isEqualTo(TradeSide.BUY); // buys back half the short
      assertThat(trade.toQuantity()).isCloseTo(trade.fromQuantity().divide(new BigDecimal("2")), within(TOLERANCE));
      assertThat(trade.leverageAfter()).isCloseTo(trade.leverageBefore(), within(TOLERANCE));
    }

    @Test
    void aFlowWaitsForTheFirstTickAtOrAfterItsEventTime() {
      Instant at = T0.plus(Duration.ofMinutes(30));
      FundBook book = queue(incepted(threeLong), create("c1", "100", at));

      Step early = Fund.onPrice(book, dec("90"), at.minusMillis(1));
      assertThat(early.flowOutcomes()).isEmpty();
      assertThat(early.book().pendingFlows()).hasSize(1);

      Step priced = Fund.onPrice(early.book(), dec("110"), at);
      assertThat(priced.flowOutcomes()).singleElement()
          .satisfies(o -> assertThat(o.nav()).isEqualByComparingTo("1.3"))
          .satisfies(o -> assertThat(o.time()).isEqualTo(at));
      assertThat(priced.book().pendingFlows()).isEmpty();
    }

    @Test
    void aRepeatOfAWaitingRequestIsNotQueuedTwice() {
      FundBook book = queue(incepted(threeLong), create("c1", "100", T0.plusSeconds(5)));
      assertThat(Fund.onFlow(book, create("c1", "100", T0.plusSeconds(5)), T0.plusSeconds(5)))
          .isInstanceOf(FlowDecision.AlreadyPending.class);
    }

    @Test
    void aFundThatClosesBeforePricingRefusesItsWaitingFlows() {
      FundBook book = queue(incepted(threeLong), create("c1", "100", T0.plusSeconds(5)));
      FundBook retiring = ((Decision.Accepted) Fund.onRetirement(book, "BTC3L", T0.plusSeconds(1))).book();
      Step step = Fund.onPrice(retiring, dec("100"), T0.plusSeconds(5));

      assertThat(step.book().status()).isEqualTo(FundStatus.RETIRED);
      assertThat(step.flowOutcomes()).singleElement()
          .satisfies(o -> assertThat(o.rejection()).isEqualTo(FlowOutcome.Rejection.FUND_CLOSED));
      assertThat(step.book().pendingFlows()).isEmpty();
    }
  }

  @Nested
  class Rejections {
    private final FundBook active = incepted(fund("BTC3L", "LONG", "3"));

    @Test
    void unknownFund() {
      assertThat(refused(null, create("c", "1", T0)).rejection()).isEqualTo(FlowOutcome.Rejection.UNKNOWN_FUND);
    }

    @Test
    void nonPositiveAmounts() {
      assertThat(refused(active, create("c", "0", T0)).rejection())
          .isEqualTo(FlowOutcome.Rejection.NON_POSITIVE_AMOUNT);
      assertThat(refused(active, redeem("r", "-1", T0)).message()).contains("-1").contains("not positive");
    }

    @Test
    void retiredOrRetiringFund() {
      FundBook retiring = ((Decision.Accepted) Fund.onRetirement(active, "BTC3L", T0)).book();
      assertThat(refused(retiring, create("c", "1", T0)).rejection()).isEqualTo(FlowOutcome.Rejection.FUND_CLOSED);
      FundBook retired = Fund.onPrice(retiring, dec("100"), T0.plusSeconds(1)).book();
      assertThat(refused(retired, create("c", "1", T0)).message()).contains("RETIRED");
    }

    @Test
    void fundWithNoPriceYet() {
      FundBook pending = fund("BTC3L", "LONG", "3").pending();
      assertThat(refused(pending, create("c", "1", T0)).rejection()).isEqualTo(FlowOutcome.Rejection.NO_PRICE);
    }

    @Test
    void redeemingMoreThanOutstandingOnArrivalAndWhenPriced() {
      assertThat(refused(active, redeem("r", "1000.000000000000000001", T0)).rejection())
          .isEqualTo(FlowOutcome.Rejection.EXCEEDS_OUTSTANDING);
      assertThat(refused(active, redeem("r", "1000", T0)).message()).contains("1000 outstanding");
      // Two redemptions that each fit, but not together: the second is refused when priced.
      FundBook book = queue(queue(active, redeem("r1", "600", T0.plusSeconds(1))), redeem("r2", "600", T0.plusSeconds(1)));
      Step step = Fund.onPrice(book, dec("100"), T0.plusSeconds(1));
      assertThat(step.flowOutcomes()).extracting(FlowOutcome::rejection)
          .containsExactly(null, FlowOutcome.Rejection.EXCEEDS_OUTSTANDING);
      assertThat(step.book().shares()).isEqualByComparingTo("400");
    }

    @Test
    void blackoutAroundTheDailyRebalance() {
      FundBook book = incepted(fund("BTC3L", "LONG", "3").daily("00:00").flowBlackoutMinutes(15));
      assertThat(refused(book, create("c", "1", DAY1.minus(Duration.ofMinutes(15)))).rejection())
          .isEqualTo(FlowOutcome.Rejection.BLACKOUT);
      assertThat(refused(book, create("c", "1", DAY1.plus(Duration.ofMinutes(14)))).message())
          .contains("15 minutes").contains("00:00");
      queue(book, create("c", "1", DAY1.minus(Duration.ofMinutes(15)).minusMillis(1)));
      queue(book, create("c", "1", DAY1.plus(Duration.ofMinutes(15))));
    }

    @Test
    void invalidFeesAndPoliciesAreRefusedByValidation() {
      assertThatThrownBy(() -> fund("F", "LONG", "3").creationFee("1").spec())
          .hasMessageContaining("creationFee 1");
      assertThatThrownBy(() -> fund("F", "LONG", "3").navPolicy("1", "0.5").spec())
          .hasMessageContaining("minNav 1 is not below maxNav 0.5");
      assertThatThrownBy(() -> Specs.spec(new FundSpec.Draft("F", "X", "LONG", dec("3"), dec("1"),
          dec("1"), null, null, null, null, null, null, null, null, null, null, null, null,
          new NavPolicy(dec("0.1"), null, List.of(10, 3)), null)))
          .hasMessageContaining("factor 3");
    }
  }

  @Nested
  class SplitsAndMerges {
    /** 1x long, 1,000 shares at NAV 1 from price 100: NAV is price / 100. */
    private Specs.Builder oneX(String minNav, String maxNav) {
      return fund("BTC3L", "LONG", "1").daily("00:00").shares("1000").navPolicy(minNav, maxNav);
    }

    private Step rebalanceAt(Specs.Builder fund, String price) {
      FundBook book = Fund.onPrice(fund.pending(), dec("100"), T0).book();
      return Fund.onPrice(book, dec(price), DAY1);
    }

    @Test
    void workedExample_1000SharesAt0_088Become100At0_88() {
      Step step = rebalanceAt(oneX("0.1", null), "8.8");

      CorporateAction action = step.corporateAction().orElseThrow();
      assertThat(action.type()).isEqualTo(CorporateAction.Type.MERGE);
      assertThat(action.ratio()).isEqualTo(10);
      assertThat(action.navBefore()).isEqualByComparingTo("0.088");
      assertThat(action.navAfter()).isEqualByComparingTo("0.88");
      assertThat(action.sharesBefore()).isEqualByComparingTo("1000");
      assertThat(action.sharesAfter()).isEqualByComparingTo("100");
      assertThat(action.navBefore().multiply(action.sharesBefore()))
          .isEqualByComparingTo(action.navAfter().multiply(action.sharesAfter())); // both 88
      NavPoint nav = step.nav().orElseThrow();
      assertThat(nav.nav()).isEqualByComparingTo("0.88");
      assertThat(nav.equity()).isEqualByComparingTo("88");
      assertThat(nav.adjustmentFactor()).isEqualByComparingTo("10");
      assertThat(nav.adjustedNav()).isEqualByComparingTo("0.088"); // the chart stays continuous
      assertThat(step.book().shares()).isEqualByComparingTo("100");
    }

    @Test
    void theAdjustedNavIsContinuousAcrossTheMergeAndAfter() {
      Step merged = rebalanceAt(oneX("0.1", null), "8.8");
      Step next = Fund.onPrice(merged.book(), dec("9.68"), DAY1.plusSeconds(1));
      assertThat(next.nav().orElseThrow().nav()).isEqualByComparingTo("0.968");
      assertThat(next.nav().orElseThrow().adjustedNav()).isEqualByComparingTo("0.0968"); // price / 100
    }

    @Test
    void navExactlyAtABoundDoesNotMove() {
      assertThat(rebalanceAt(oneX("0.1", "5"), "10").corporateAction()).isEmpty();
      assertThat(rebalanceAt(oneX("0.1", "5"), "500").corporateAction()).isEmpty();
    }

    @Test
    void theSmallestFactorThatReachesTheBoundIsUsed() {
      NavPolicy policy = new NavPolicy(dec("0.1"), dec("5"), null);
      assertThat(policy.choose(dec("0.01"))).contains(new NavPolicy.Choice(CorporateAction.Type.MERGE, 10));
      assertThat(policy.choose(dec("0.009999"))).contains(new NavPolicy.Choice(CorporateAction.Type.MERGE, 100));
      assertThat(policy.choose(dec("0.00000001")))
          .contains(new NavPolicy.Choice(CorporateAction.Type.MERGE, 10_000)); // the largest, when none is enough
      assertThat(policy.choose(dec("50"))).contains(new NavPolicy.Choice(CorporateAction.Type.SPLIT, 10));
      assertThat(policy.choose(dec("50.000001"))).contains(new NavPolicy.Choice(CorporateAction.Type.SPLIT, 100));
      assertThat(policy.choose(dec("5.000000000000000001")))
          .contains(new NavPolicy.Choice(CorporateAction.Type.SPLIT, 10));
      assertThat(new NavPolicy(dec("0.1"), null, List.of(100, 1000)).choose(dec("0.09")))
          .contains(new NavPolicy.Choice(CorporateAction.Type.MERGE, 100));
    }

    @Test
    void aSplitAtTheEdgeKeepsEquity() {
      Step step = rebalanceAt(oneX(null, "5"), "500.0001");
      CorporateAction action = step.corporateAction().orElseThrow();
      assertThat(action.type()).isEqualTo(CorporateAction.Type.SPLIT);
      assertThat(action.ratio()).isEqualTo(10);
      assertThat(action.sharesAfter()).isEqualByComparingTo("10000");
      assertThat(action.navAfter()).isEqualByComparingTo("0.5000001");
      assertThat(step.nav().orElseThrow().equity()).isEqualByComparingTo("5000.001");
      assertThat(step.nav().orElseThrow().adjustmentFactor()).isEqualByComparingTo("0.1");
      assertThat(step.nav().orElseThrow().adjustedNav()).isEqualByComparingTo("5.000001");
    }

    @Test
    void onlyRebalancesSplitNotPlainTicks() {
      FundBook book = Fund.onPrice(oneX("0.1", null).pending(), dec("100"), T0).book();
      Step tick = Fund.onPrice(book, dec("8.8"), T0.plusSeconds(60));
      assertThat(tick.rebalance()).isEmpty();
      assertThat(tick.corporateAction()).isEmpty();
      assertThat(tick.book().shares()).isEqualByComparingTo("1000");
    }

    @Test
    void aWaitingRedemptionIsScaledWithTheShares() {
      FundBook book = Fund.onPrice(oneX("0.1", null).pending(), dec("100"), T0).book();
      book = queue(book, redeem("r", "500", DAY1.plusSeconds(1)));
      Step merged = Fund.onPrice(book, dec("8.8"), DAY1);
      assertThat(merged.book().pendingFlows()).singleElement()
          .satisfies(f -> assertThat(f.amount()).isEqualByComparingTo("50"));
      Step priced = Fund.onPrice(merged.book(), dec("8.8"), DAY1.plusSeconds(1));
      assertThat(priced.flowOutcomes().get(0).cash()).isEqualByComparingTo("44"); // half of 88
      assertThat(priced.book().shares()).isEqualByComparingTo("50");
    }
  }

  @Test
  void noPendingFlowsMeansTheSameStepAsBefore() {
    FundBook book = incepted(fund("BTC3L", "LONG", "3"));
    Step step = Fund.onPrice(book, dec("101"), T0.plusSeconds(1));
    assertThat(step.flowOutcomes()).isEmpty();
    assertThat(step.flowTrades()).isEmpty();
    assertThat(step.bookChanged()).isFalse();
    assertThat(step.corporateAction()).isEqualTo(Optional.empty());
  }
}
