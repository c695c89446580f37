package io.navstream.fund;

import static io.navstream.fund.Specs.T0;
import static io.navstream.fund.Specs.dec;
import static io.navstream.fund.Specs.fund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FundTest {
  private static final BigDecimal TOLERANCE = new BigDecimal("1e-15");

  /** Feeds prices one day apart, starting at T0, and collects every step. */
  private static List<Step> daily(FundBook book, String... prices) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < prices.length; i++) {
      Step step = Fund.onPrice(book, dec(prices[i]), T0.plus(Duration.ofDays(i)));
      steps.add(step);
      book = step.book();
    }
    return steps;
  }

  private static BigDecimal lastNav(List<Step> steps) {
    return steps.get(steps.size() - 1).nav().orElseThrow().nav();
  }

  @Nested
  class WorkedExamples {
    private final FundBook threeLong = fund("BTC3L", "LONG", "3").daily("00:00").pending();

    @Test
    void fourUpDaysCompoundToNav2_8561() {
      assertThat(lastNav(daily(threeLong, "100", "110", "121", "133.1", "146.41")))
          .isCloseTo(new BigDecimal("2.8561"), within(TOLERANCE));
    }

    @Test
    void fourDownDaysCompoundToNav0_2401() {
      assertThat(lastNav(daily(threeLong, "100", "90", "81", "72.9", "65.61")))
          .isCloseTo(new BigDecimal("0.2401"), within(TOLERANCE));
    }

    @Test
    void alternatingDaysDecayToNav0_8281() {
      assertThat(lastNav(daily(threeLong, "100", "110", "99", "108.9", "98.01")))
          .isCloseTo(new BigDecimal("0.8281"), within(TOLERANCE));
    }

    @Test
    void everyDailyTickRebalancesBackToThreeTimes() {
      List<Step> steps = daily(threeLong, "100", "110", "121");
      assertThat(steps.get(1).rebalance()).get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.DAILY);
      assertThat(steps.get(2).nav().orElseThrow().leverage()).isCloseTo(new BigDecimal("3"), within(TOLERANCE));
    }

    @Test
    void threeShortGains30PercentOnA10PercentFall() {
      FundBook shortFund = fund("BTC3S", "SHORT", "3").pending();
      assertThat(lastNav(daily(shortFund, "10000", "9000"))).isEqualByComparingTo("1.3");
    }

    @Test
    void threeShortLoses30PercentOnA10PercentRise() {
      FundBook shortFund = fund("BTC3S", "SHORT", "3").pending();
      assertThat(lastNav(daily(shortFund, "10000", "11000"))).isEqualByComparingTo("0.7");
    }

    @Test
    void dailyRebalanceAfterAFivePercentRiseBuysThirtyOfNotional() {
      FundBook book = fund("BTC3L", "LONG", "3").nav("100").shares("1").daily("00:00").pending();
      List<Step> steps = daily(book, "100", "105");
      Rebalance rebalance = steps.get(1).rebalance().orElseThrow();
      assertThat(rebalance.reason()).isEqualTo(RebalanceReason.DAILY);
      assertThat(rebalance.navBefore()).isEqualByComparingTo("115");
      assertThat(rebalance.leverageBefore()).isEqualTo(dec("2.739130434782608696"));
      assertThat(rebalance.deltaQuantity()).isEqualTo(dec("0.285714285714285714"));
      assertThat(rebalance.notional()).isCloseTo(new BigDecimal("30"), within(TOLERANCE));
      assertThat(rebalance.side()).isEqualTo(TradeSide.BUY);
      assertThat(steps.get(1).nav().orElseThrow().nav()).isCloseTo(new BigDecimal("115"), within(TOLERANCE));
    }

    @Test
    void fifteenPercentRiseRebalancesOnlyTheShort() {
      FundBook longFund = fund("BTC3L", "LONG", "3").threshold("0.15").pending();
      FundBook shortFund = fund("BTC3S", "SHORT", "3").threshold("0.15").pending();
      assertThat(daily(longFund, "100", "115").get(1).rebalance()).isEmpty();
      Step shortStep = daily(shortFund, "100", "115").get(1);
      assertThat(shortStep.rebalance()).get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.THRESHOLD);
    }

    @Test
    void moveJustShortOfTheThresholdRebalancesNeither() {
      FundBook longFund = fund("BTC3L", "LONG", "3").threshold("0.15").pending();
      FundBook shortFund = fund("BTC3S", "SHORT", "3").threshold("0.15").pending();
      assertThat(daily(longFund, "100", "114.9").get(1).rebalance()).isEmpty();
      assertThat(daily(shortFund, "100", "114.9").get(1).rebalance()).isEmpty();
    }
  }

  @Nested
  class Inception {
    @Test
    void firstPriceOpensTheFundAtExactlyInitialNav() {
      FundBook book = fund("ETH3L", "LONG", "3").nav("7").shares("3").pending();
      Step step = Fund.onPrice(book, dec("3000"), T0);
      Rebalance r = step.rebalance().orElseThrow();
      assertThat(r.reason()).isEqualTo(RebalanceReason.INCEPTION);
      assertThat(r.fromQuantity()).isEqualByComparingTo("0");
      assertThat(r.toQuantity()).isEqualTo(dec("0.021")); // 3 * 21 / 3000
      assertThat(r.tradingFee()).isEqualByComparingTo("0");
      assertThat(r.sequence()).isEqualTo(1);
      assertThat(r.instructionId()).isEqualTo("ETH3L-1");
      assertThat(step.nav().orElseThrow().nav()).isEqualTo(dec("7"));
      assertThat(step.book().cash()).isEqualTo(dec("-42")); // 21 - 63
      assertThat(step.book().status()).isEqualTo(FundStatus.ACTIVE);
    }

    @Test
    void aShortOpensWithANegativePositionAndASell() {
      Step step = Fund.onPrice(fund("BTC3S", "SHORT", "3").pending(), dec("100"), T0);
      assertThat(step.book().quantity()).isEqualTo(dec("-0.03"));
      assertThat(step.book().cash()).isEqualTo(dec("4"));
      assertThat(step.rebalance().orElseThrow().side()).isEqualTo(TradeSide.SELL);
    }

    @Test
    void inceptionPaysNoTradingFeeAndChecksNoTrigger() {
      FundBook book = fund("F", "LONG", "3").tradingFee("0.001").daily("00:00").pending();
      Step step = Fund.onPrice(book, dec("100"), T0);
      assertThat(step.rebalance().orElseThrow().reason()).isEqualTo(RebalanceReason.INCEPTION);
      assertThat(step.book().cumulativeTradingFees()).isEqualByComparingTo("0");
      // The daily schedule starts strictly after inception, even when inception is at the daily time.
      assertThat(step.book().nextScheduledRebalance()).isEqualTo(T0.plus(Duration.ofDays(1)));
    }

    @Test
    void waitsForAPriceAtOrAfterTheEffectiveTime() {
      Instant effective = T0.plusSeconds(60);
      FundBook book = fund("F", "LONG", "3").effective(effective).pending();
      Step early = Fund.onPrice(book, dec("100"), T0);
      assertThat(early.bookChanged()).isFalse();
      assertThat(early.nav()).isEmpty();
      assertThat(Fund.onPrice(book, dec("100"), effective).rebalance()).isPresent();
    }
  }

  @Nested
  class Ticks {
    @Test
    void navMovesByLeverageTimesTheUnderlyingWithoutTouchingTheBook() {
      FundBook book = Fund.onPrice(fund("F", "LONG", "3").pending(), dec("100"), T0).book();
      Step step = Fund.onPrice(book, dec("102"), T0.plusSeconds(1));
      assertThat(step.bookChanged()).isFalse();
      assertThat(step.book()).isSameAs(book);
      assertThat(step.nav().orElseThrow().nav()).isEqualByComparingTo("1.06");
      assertThat(step.nav().orElseThrow().leverage()).isEqualTo(dec("2.886792452830188679")); // 3.06/1.06
    }

    @Test
    void nothingHappensToAFundThatHasNotIncepted() {
      FundBook book = fund("F", "LONG", "3").effective(T0.plusSeconds(10)).pending();
      assertThat(Fund.onPrice(book, dec("1"), T0).nav()).isEmpty();
    }
  }

  @Nested
  class Triggers {
    private FundBook incepted(Specs.Builder b) {
      return Fund.onPrice(b.pending(), dec("100"), T0).book();
    }

    @Test
    void thresholdRebalancesALongOnAFallAtTheBoundary() {
      FundBook book = incepted(fund("F", "LONG", "3").threshold("0.15"));
      assertThat(Fund.onPrice(book, dec("85.000000000000000001"), T0.plusSeconds(1)).rebalance()).isEmpty();
      assertThat(Fund.onPrice(book, dec("85"), T0.plusSeconds(1)).rebalance())
          .get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.THRESHOLD);
    }

    @Test
    void thresholdNeverFiresInTheFundsFavour() {
      FundBook book = incepted(fund("F", "LONG", "3").threshold("0.15"));
      assertThat(Fund.onPrice(book, dec("150"), T0.plusSeconds(1)).rebalance()).isEmpty();
    }

    @Test
    void bandFiresWhenLeverageLeavesIt() {
      // 1.25-4x like Binance; a long's leverage rises as the price falls.
      FundBook book = incepted(fund("F", "LONG", "3").band("1.25", "4"));
      Step inside = Fund.onPrice(book, dec("89"), T0.plusSeconds(1)); // 2.67/0.67 = 3.985
      assertThat(inside.rebalance()).isEmpty();
      Step past = Fund.onPrice(book, dec("88.8"), T0.plusSeconds(1)); // 2.664/0.664 = 4.012
      assertThat(past.rebalance()).get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.BAND);
      assertThat(past.nav().orElseThrow().leverage()).isCloseTo(new BigDecimal("3"), within(TOLERANCE));
    }

    @Test
    void bandLowerEdgeFiresOnARise() {
      FundBook book = incepted(fund("F", "LONG", "3").band("1.25", "4"));
      // leverage = 3P/(3P-200) falls as P rises; below 1.25 when P > 333.33
      assertThat(Fund.onPrice(book, dec("333"), T0.plusSeconds(1)).rebalance()).isEmpty();
      assertThat(Fund.onPrice(book, dec("334"), T0.plusSeconds(1)).rebalance())
          .get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.BAND);
    }

    @Test
    void dailyComesFirstWhenSeveralHold() {
      FundBook book = incepted(fund("F", "LONG", "3").daily("00:00").threshold("0.1"));
      Step step = Fund.onPrice(book, dec("80"), T0.plus(Duration.ofDays(1)));
      assertThat(step.rebalance().orElseThrow().reason()).isEqualTo(RebalanceReason.DAILY);
    }

    @Test
    void missedDaysCollapseIntoOneRebalanceAndTheNextIsStrictlyAfter() {
      FundBook book = incepted(fund("F", "LONG", "3").daily("00:00"));
      Instant late = T0.plus(Duration.ofDays(3)).plusSeconds(3600);
      Step step = Fund.onPrice(book, dec("100"), late);
      assertThat(step.rebalance()).isPresent();
      assertThat(step.book().nextScheduledRebalance()).isEqualTo(T0.plus(Duration.ofDays(4)));
      assertThat(Fund.onPrice(step.book(), dec("100"), late.plusSeconds(60)).rebalance()).isEmpty();
    }

    @Test
    void aThresholdRebalanceMovesTheNextDailyPastIt() {
      FundBook book = incepted(fund("F", "LONG", "3").daily("12:00").threshold("0.1"));
      assertThat(book.nextScheduledRebalance()).isEqualTo(T0.plusSeconds(12 * 3600));
      Step step = Fund.onPrice(book, dec("89"), T0.plusSeconds(13 * 3600));
      assertThat(step.rebalance().orElseThrow().reason()).isEqualTo(RebalanceReason.DAILY);
      Step thr = Fund.onPrice(book, dec("89"), T0.plusSeconds(3600));
      assertThat(thr.rebalance().orElseThrow().reason()).isEqualTo(RebalanceReason.THRESHOLD);
      assertThat(thr.book().nextScheduledRebalance()).isEqualTo(T0.plusSeconds(12 * 3600));
      assertThat(thr.book().lastRebalancePrice()).isEqualTo(dec("89"));
    }

    @Test
    void zeroSizeDailyRebalanceIsStillEmittedAndResetsTheReference() {
      FundBook book = incepted(fund("F", "LONG", "3").daily("00:00"));
      Step step = Fund.onPrice(book, dec("100"), T0.plus(Duration.ofDays(1)));
      Rebalance r = step.rebalance().orElseThrow();
      assertThat(r.side()).isEqualTo(TradeSide.NONE);
      assertThat(r.deltaQuantity()).isEqualByComparingTo("0");
      assertThat(r.notional()).isEqualByComparingTo("0");
      assertThat(step.book().lastRebalanceTime()).isEqualTo(T0.plus(Duration.ofDays(1)));
      assertThat(step.book().sequence()).isEqualTo(2);
    }
  }

  @Nested
  class Fees {
    @Test
    void managementFeeAccruesLinearlyAndIsTakenAtTheRebalance() {
      FundBook book = Fund.onPrice(
          fund("F", "LONG", "3").nav("100").daily("00:00").managementFee("0.001").pending(), dec("100"), T0).book();
      // Half a day: 0.001 * 100 * 0.5 = 0.05 accrued, so NAV 99.95 at an unchanged price.
      Step half = Fund.onPrice(book, dec("100"), T0.plus(Duration.ofHours(12)));
      assertThat(half.nav().orElseThrow().nav()).isEqualByComparingTo("99.95");
      Step day = Fund.onPrice(book, dec("100"), T0.plus(Duration.ofDays(1)));
      assertThat(day.book().cumulativeManagementFees()).isEqualByComparingTo("0.1");
      assertThat(day.book().equityAtLastRebalance()).isEqualByComparingTo("99.9");
      assertThat(day.nav().orElseThrow().nav()).isEqualByComparingTo("99.9");
      assertThat(day.nav().orElseThrow().leverage()).isCloseTo(new BigDecimal("3"), within(TOLERANCE));
    }

    @Test
    void tradingFeeIsIncludedInTheSizingSoLeverageLandsExactlyOnTarget() {
      FundBook book = Fund.onPrice(
          fund("F", "LONG", "3").nav("100").daily("00:00").tradingFee("0.001").pending(), dec("100"), T0).book();
      Step up = Fund.onPrice(book, dec("110"), T0.plus(Duration.ofDays(1)));
      Rebalance r = up.rebalance().orElseThrow();
      assertThat(r.side()).isEqualTo(TradeSide.BUY);
      assertThat(r.tradingFee()).isEqualTo(Decimals.round(r.notional().multiply(new BigDecimal("0.001"))))
          .isPositive();
      assertThat(r.leverageAfter()).isCloseTo(new BigDecimal("3"), within(TOLERANCE));
      Step down = Fund.onPrice(book, dec("90"), T0.plus(Duration.ofDays(1)));
      assertThat(down.rebalance().orElseThrow().side()).isEqualTo(TradeSide.SELL);
      assertThat(down.rebalance().orElseThrow().leverageAfter()).isCloseTo(new BigDecimal("3"), within(TOLERANCE));
      assertThat(down.book().cumulativeTradingFees()).isPositive();
    }

    @Test
    void tradingFeeSizingWorksForShortsToo() {
      FundBook book = Fund.onPrice(
          fund("F", "SHORT", "3").nav("100").daily("00:00").tradingFee("0.002").pending(), dec("100"), T0).book();
      for (String price : new String[] {"90", "110"}) {
        Step step = Fund.onPrice(book, dec(price), T0.plus(Duration.ofDays(1)));
        assertThat(step.rebalance().orElseThrow().leverageAfter())
            .isCloseTo(new BigDecimal("3"), within(TOLERANCE));
      }
    }
  }

  @Nested
  class Funding {
    @Test
    void aLongPaysAPositiveRateAndAShortReceivesIt() {
      FundBook longBook = Fund.onPrice(fund("L", "LONG", "3").nav("100").pending(), dec("100"), T0).book();
      FundBook shortBook = Fund.onPrice(fund("S", "SHORT", "3").nav("100").pending(), dec("100"), T0).book();
      Step paid = Fund.onFunding(longBook, dec("0.0001"), dec("100"), T0.plusSeconds(1));
      Step received = Fund.onFunding(shortBook, dec("0.0001"), dec("100"), T0.plusSeconds(1));
      // notional 300 * 0.0001 = 0.03
      assertThat(paid.book().cumulativeFunding()).isEqualByComparingTo("-0.03");
      assertThat(paid.nav().orElseThrow().nav()).isEqualByComparingTo("99.97");
      assertThat(received.book().cumulativeFunding()).isEqualByComparingTo("0.03");
      assertThat(paid.bookChanged()).isTrue();
      assertThat(paid.rebalance()).isEmpty();
    }

    @Test
    void fundingIgnoresFundsWithoutAPosition() {
      FundBook pending = fund("L", "LONG", "3").pending();
      assertThat(Fund.onFunding(pending, dec("0.01"), dec("100"), T0).bookChanged()).isFalse();
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void depletionClosesThePositionAndReportsNavZero() {
      FundBook book = Fund.onPrice(fund("F", "LONG", "5").pending(), dec("100"), T0).book();
      Step crash = Fund.onPrice(book, dec("79"), T0.plusSeconds(1)); // -21% * 5 = -105%
      Rebalance r = crash.rebalance().orElseThrow();
      assertThat(r.reason()).isEqualTo(RebalanceReason.DEPLETION);
      assertThat(r.toQuantity()).isEqualByComparingTo("0");
      assertThat(crash.nav().orElseThrow().nav()).isEqualByComparingTo("0");
      assertThat(crash.book().status()).isEqualTo(FundStatus.DEPLETED);
      assertThat(Fund.onPrice(crash.book(), dec("100"), T0.plusSeconds(2)).nav()).isEmpty();
    }

    @Test
    void retirementClosesAtTheNextTickPayingTheFee() {
      FundBook book = Fund.onPrice(fund("F", "LONG", "3").tradingFee("0.001").pending(), dec("100"), T0).book();
      FundBook retiring = ((Decision.Accepted) Fund.onRetirement(book, "F", T0.plusSeconds(1))).book();
      assertThat(retiring.status()).isEqualTo(FundStatus.RETIRING);
      Step close = Fund.onPrice(retiring, dec("100"), T0.plusSeconds(2));
      Rebalance r = close.rebalance().orElseThrow();
      assertThat(r.reason()).isEqualTo(RebalanceReason.RETIREMENT);
      assertThat(r.side()).isEqualTo(TradeSide.SELL);
      assertThat(r.tradingFee()).isEqualByComparingTo("0.003");
      assertThat(close.nav().orElseThrow().equity()).isEqualByComparingTo("0.997");
      assertThat(close.nav().orElseThrow().status()).isEqualTo(FundStatus.RETIRED);
      assertThat(Fund.onPrice(close.book(), dec("120"), T0.plusSeconds(3)).nav()).isEmpty();
    }

    @Test
    void aFundRetiredBeforeInceptionJustStops() {
      FundBook pending = fund("F", "LONG", "3").pending();
      FundBook retired = ((Decision.Accepted) Fund.onRetirement(pending, "F", T0)).book();
      assertThat(retired.status()).isEqualTo(FundStatus.RETIRED);
      assertThat(Fund.onPrice(retired, dec("100"), T0.plusSeconds(1)).rebalance()).isEmpty();
    }

    @Test
    void retirementOfAnUnknownOrClosedFundIsRejected() {
      assertThat(Fund.onRetirement(null, "X", T0)).isInstanceOfSatisfying(Decision.Rejected.class,
          r -> assertThat(r.reason()).isEqualTo(Decision.Reason.UNKNOWN_FUND));
      FundBook retired = ((Decision.Accepted) Fund.onRetirement(fund("F", "LONG", "3").pending(), "F", T0)).book();
      assertThat(Fund.onRetirement(retired, "F", T0)).isInstanceOf(Decision.Rejected.class);
    }
  }

  @Nested
  class Definitions {
    @Test
    void beforeInceptionANewDefinitionReplacesTheOld() {
      FundBook book = fund("F", "LONG", "3").pending();
      Decision d = Fund.onDefinition(book, fund("F", "SHORT", "2").spec(), T0.plusSeconds(1));
      FundBook replaced = ((Decision.Accepted) d).book();
      assertThat(replaced.spec().direction()).isEqualTo(Direction.SHORT);
      assertThat(replaced.stagedSpec()).isNull();
    }

    @Test
    void afterInceptionImmutableFieldsAreRefusedByName() {
      FundBook book = Fund.onPrice(fund("F", "LONG", "3").pending(), dec("100"), T0).book();
      Decision d = Fund.onDefinition(book, fund("F", "SHORT", "3").nav("2").spec(), T0.plusSeconds(1));
      assertThat(d).isInstanceOfSatisfying(Decision.Rejected.class, r -> {
        assertThat(r.reason()).isEqualTo(Decision.Reason.IMMUTABLE_FIELD_CHANGED);
        assertThat(r.message()).contains("direction", "initialNav").doesNotContain("initialShares");
      });
    }

    @Test
    void afterInceptionAChangeIsStagedUntilTheNextTriggeredRebalance() {
      FundBook book = Fund.onPrice(fund("F", "LONG", "3").daily("00:00").pending(), dec("100"), T0).book();
      FundBook staged = ((Decision.Accepted) Fund.onDefinition(
          book, fund("F", "LONG", "2").daily("00:00").spec(), T0.plusSeconds(1))).book();
      assertThat(staged.spec().targetLeverage()).isEqualByComparingTo("3");
      // An ordinary tick still runs on the definition in force.
      Step tick = Fund.onPrice(staged, dec("101"), T0.plusSeconds(2));
      assertThat(tick.nav().orElseThrow().leverage()).isGreaterThan(new BigDecimal("2.9"));
      Step daily = Fund.onPrice(staged, dec("100"), T0.plus(Duration.ofDays(1)));
      assertThat(daily.book().spec().targetLeverage()).isEqualByComparingTo("2");
      assertThat(daily.book().stagedSpec()).isNull();
      assertThat(daily.nav().orElseThrow().leverage()).isCloseTo(new BigDecimal("2"), within(TOLERANCE));
    }

    @Test
    void aClosedFundNeverTakesANewDefinition() {
      FundBook retired = ((Decision.Accepted) Fund.onRetirement(fund("F", "LONG", "3").pending(), "F", T0)).book();
      assertThat(Fund.onDefinition(retired, fund("F", "LONG", "3").spec(), T0))
          .isInstanceOfSatisfying(Decision.Rejected.class,
              r -> assertThat(r.reason()).isEqualTo(Decision.Reason.FUND_CLOSED));
    }
  }

  @Nested
  class Recentering {
    @Test
    void partialRecenteringMovesPartOfTheWayAndIsClampedToTheBand() {
      FundBook book = Fund.onPrice(fund("F", "LONG", "2").daily("00:00").speed("0.5").band("1.5", "2.5").pending(),
          dec("100"), T0).book();
      // At 90: E = 0.8, exposure 1.8, CLR = 2.25; L' = 2.25*0.5 + 2*0.5 = 2.125
      Step step = Fund.onPrice(book, dec("90"), T0.plus(Duration.ofDays(1)));
      assertThat(step.rebalance().orElseThrow().leverageBefore()).isEqualTo(dec("2.25"));
      assertThat(step.nav().orElseThrow().leverage()).isCloseTo(new BigDecimal("2.125"), within(TOLERANCE));
      // Far out of the band the target is clamped: at 70, CLR = 1.4/0.4 = 3.5 -> 2.75 -> 2.5
      Step clamped = Fund.onPrice(book, dec("70"), T0.plus(Duration.ofDays(1)));
      assertThat(clamped.nav().orElseThrow().leverage()).isCloseTo(new BigDecimal("2.5"), within(TOLERANCE));
    }
  }
}
