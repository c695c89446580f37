package io.navstream.fund;

import static io.navstream.fund.Specs.T0;
import static io.navstream.fund.Specs.dec;
import static io.navstream.fund.Specs.fund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Operator commands (README rule 13): manual rebalance, pause and resume. */
class FundCommandsTest {
  private static final Instant T1 = T0.plusSeconds(60);
  private static final Instant T2 = T0.plusSeconds(120);

  private static FundBook incepted(Specs.Builder fund) {
    return Fund.onPrice(fund.pending(), dec("100"), T0).book();
  }

  private static FundBook accepted(Decision d) {
    assertThat(d).isInstanceOf(Decision.Accepted.class);
    return ((Decision.Accepted) d).book();
  }

  private static Step traded(Decision d) {
    assertThat(d).isInstanceOf(Decision.Traded.class);
    return ((Decision.Traded) d).step();
  }

  private static Decision.Reason rejection(Decision d) {
    assertThat(d).isInstanceOf(Decision.Rejected.class);
    return ((Decision.Rejected) d).reason();
  }

  @Nested
  class ManualRebalance {
    @Test
    void releversToTheTargetAtTheLastPriceWithReasonManual() {
      FundBook book = Fund.onPrice(incepted(fund("BTC3L", "LONG", "3")), dec("110"), T1).book();

      Step step = traded(Fund.onManualRebalance(book, "BTC3L", dec("110"), T2));

      Rebalance r = step.rebalance().orElseThrow();
      assertThat(r.reason()).isEqualTo(RebalanceReason.MANUAL);
      assertThat(r.time()).isEqualTo(T2);
      assertThat(r.price()).isEqualByComparingTo("110");
      // From NAV 1 at 100, +10% at 3x: equity 1.3, leverage 3.3/1.3; back to 3x: q = 3.9/110.
      assertThat(r.navBefore()).isEqualByComparingTo("1.3");
      assertThat(r.leverageBefore()).isEqualByComparingTo("2.538461538461538462");
      assertThat(r.fromQuantity()).isEqualByComparingTo("0.03");
      assertThat(r.toQuantity()).isEqualByComparingTo("0.035454545454545455");
      assertThat(r.leverageAfter()).isCloseTo(dec("3"), within(new BigDecimal("1e-15")));
      assertThat(r.sequence()).isEqualTo(2);
      assertThat(step.book().lastRebalancePrice()).isEqualByComparingTo("110");
      assertThat(step.book().lastRebalanceTime()).isEqualTo(T2);
      assertThat(step.nav().orElseThrow().nav()).isEqualByComparingTo("1.3");
    }

    @Test
    void goesAllTheWayToTheTargetEvenWithARecenteringSpeed() {
      FundBook book = Fund.onPrice(incepted(fund("BTC3L", "LONG", "3").speed("0.5")), dec("110"), T1).book();

      Rebalance r = traded(Fund.onManualRebalance(book, "BTC3L", dec("110"), T2)).rebalance().orElseThrow();

      assertThat(r.leverageAfter()).isCloseTo(dec("3"), within(new BigDecimal("1e-15")));
    }

    @Test
    void rebalancesAPausedFundToo() {
      FundBook paused = accepted(Fund.onPause(incepted(fund("BTC3L", "LONG", "3")), "BTC3L", true, T1));

      Step step = traded(Fund.onManualRebalance(paused, "BTC3L", dec("90"), T2));

      assertThat(step.rebalance().orElseThrow().reason()).isEqualTo(RebalanceReason.MANUAL);
      assertThat(step.book().rebalancesPaused()).as("still paused").isTrue();
    }

    @Test
    void isRefusedBeforeInceptionForAnUnknownFundAndForAClosedOne() {
      assertThat(rejection(Fund.onManualRebalance(fund("F", "LONG", "3").pending(), "F", dec("100"), T1)))
          .isEqualTo(Decision.Reason.NOT_INCEPTED);
      assertThat(rejection(Fund.onManualRebalance(null, "F", dec("100"), T1)))
          .isEqualTo(Decision.Reason.UNKNOWN_FUND);
      FundBook retiring = accepted(Fund.onRetirement(incepted(fund("F", "LONG", "3")), "F", T1));
      assertThat(rejection(Fund.onManualRebalance(retiring, "F", dec("100"), T2)))
          .isEqualTo(Decision.Reason.FUND_CLOSED);
    }

    @Test
    void doesNotApplyAStagedDefinition() {
      FundBook book = incepted(fund("F", "LONG", "3"));
      FundBook staged = accepted(Fund.onDefinition(book, fund("F", "LONG", "2").spec(), T1));

      Step step = traded(Fund.onManualRebalance(staged, "F", dec("100"), T2));

      assertThat(step.book().spec().targetLeverage()).isEqualByComparingTo("3");
      assertThat(step.book().stagedSpec()).isNotNull();
    }
  }

  @Nested
  class PauseAndResume {
    @Test
    void pauseStopsThresholdRebalancesButNavKeepsMoving() {
      FundBook book = incepted(fund("F", "LONG", "3").threshold("0.1"));
      FundBook paused = accepted(Fund.onPause(book, "F", true, T1));
      assertThat(paused.rebalancesPaused()).isTrue();

      Step fall = Fund.onPrice(paused, dec("85"), T2);

      assertThat(fall.rebalance()).isEmpty();
      assertThat(fall.nav().orElseThrow().nav()).isEqualByComparingTo("0.55");
    }

    @Test
    void resumeLetsTheNextTickReevaluateTheTriggers() {
      FundBook book = incepted(fund("F", "LONG", "3").threshold("0.1").daily("00:00"));
      FundBook paused = accepted(Fund.onPause(book, "F", true, T1));
      Instant nextDay = T0.plus(Duration.ofDays(1));
      Step dueWhilePaused = Fund.onPrice(paused, dec("100"), nextDay.plusSeconds(1));
      assertThat(dueWhilePaused.rebalance()).as("daily is due, but paused").isEmpty();

      FundBook resumed = accepted(Fund.onPause(paused, "F", false, nextDay.plusSeconds(2)));
      assertThat(resumed.rebalancesPaused()).isFalse();
      Step next = Fund.onPrice(resumed, dec("100"), nextDay.plusSeconds(3));

      assertThat(next.rebalance()).get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.DAILY);
    }

    @Test
    void retirementAndDepletionStillCloseAPausedFund() {
      FundBook paused = accepted(Fund.onPause(incepted(fund("F", "LONG", "3")), "F", true, T1));
      Step depleted = Fund.onPrice(paused, dec("60"), T2);
      assertThat(depleted.rebalance()).get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.DEPLETION);

      FundBook retiring = accepted(Fund.onRetirement(paused, "F", T1));
      Step retired = Fund.onPrice(retiring, dec("100"), T2);
      assertThat(retired.rebalance()).get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.RETIREMENT);
    }

    @Test
    void aPausedFundStillInceptsAndStaysPaused() {
      FundBook paused = accepted(Fund.onPause(fund("F", "LONG", "3").pending(), "F", true, T0));

      Step first = Fund.onPrice(paused, dec("100"), T1);

      assertThat(first.rebalance()).get().extracting(Rebalance::reason).isEqualTo(RebalanceReason.INCEPTION);
      assertThat(first.book().rebalancesPaused()).isTrue();
    }

    @Test
    void thePauseSurvivesFundingAndARedefinitionBeforeInception() {
      FundBook paused = accepted(Fund.onPause(incepted(fund("F", "LONG", "3")), "F", true, T1));
      assertThat(Fund.onFunding(paused, dec("0.001"), dec("100"), T2).book().rebalancesPaused()).isTrue();

      FundBook pendingPaused = accepted(Fund.onPause(fund("G", "LONG", "3").pending(), "G", true, T0));
      FundBook redefined = accepted(Fund.onDefinition(pendingPaused, fund("G", "LONG", "2").spec(), T1));
      assertThat(redefined.rebalancesPaused()).isTrue();
    }

    @Test
    void unknownAndClosedFundsAreRefused() {
      assertThat(rejection(Fund.onPause(null, "F", true, T0))).isEqualTo(Decision.Reason.UNKNOWN_FUND);
      FundBook retiring = accepted(Fund.onRetirement(incepted(fund("F", "LONG", "3")), "F", T1));
      assertThat(rejection(Fund.onPause(retiring, "F", false, T2))).isEqualTo(Decision.Reason.FUND_CLOSED);
    }
  }
}
