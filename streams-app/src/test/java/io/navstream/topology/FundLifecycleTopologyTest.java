package io.navstream.topology;

import static io.navstream.topology.TopologyHarness.T0;
import static io.navstream.topology.TopologyHarness.dec;
import static io.navstream.topology.TopologyHarness.fund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.navstream.avro.CorporateAction;
import io.navstream.avro.CorporateActionType;
import io.navstream.avro.Direction;
import io.navstream.avro.FlowResult;
import io.navstream.avro.FlowStatus;
import io.navstream.avro.FlowType;
import io.navstream.avro.NavSplitPolicy;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.RebalanceReason;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fund flows, splits and merges, and premium/discount through the whole topology. */
class FundLifecycleTopologyTest {
  private static final String BTC = "BTC-USDT";
  private static final BigDecimal TOLERANCE = new BigDecimal("1e-15");

  @TempDir Path stateDir;
  TopologyHarness h;

  @BeforeEach
  void start() {
    h = new TopologyHarness(stateDir);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  /** BTC3L, 3x long, 1,000 shares at NAV 1, incepted at price 100 at T0. */
  private void incepted() {
    h.define(fund("BTC3L", BTC, Direction.LONG, "3").setInitialShares(dec("1000")), T0);
    h.price(BTC, "100", T0);
    h.navs();
    h.rebalances();
    h.states();
  }

  private FlowResult onlyResult() {
    List<FlowResult> results = h.flowResults.readValuesToList();
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  @Nested
  class Flows {
    @Test
    void aCreateIsPricedAtTheFirstTickAtOrAfterItsTimeAndKeepsNav() {
      incepted();
      h.flow("c1", "BTC3L", FlowType.CREATE, "1150", at(10));
      h.price(BTC, "105", at(5));
      assertThat(h.flowResults.isEmpty()).as("not priced before its time").isTrue();

      h.price(BTC, "105", at(10));
      FlowResult result = onlyResult();
      assertThat(result.getStatus()).isEqualTo(FlowStatus.ACCEPTED);
      assertThat(result.getNav()).isEqualByComparingTo("1.15");
      assertThat(result.getShares()).isEqualByComparingTo("1000");
      assertThat(result.getEventTime()).isEqualTo(at(10));
      List<RebalanceInstruction> trades = h.rebalances();
      assertThat(trades).singleElement().satisfies(r -> {
        assertThat(r.getReason()).isEqualTo(RebalanceReason.FLOW);
        assertThat(r.getLeverageAfter()).isCloseTo(r.getLeverageBefore(), within(TOLERANCE));
      });
      List<NavUpdate> navs = h.navs();
      NavUpdate last = navs.get(navs.size() - 1);
      assertThat(last.getShares()).isEqualByComparingTo("2000");
      assertThat(last.getNav()).isCloseTo(new BigDecimal("1.15"), within(TOLERANCE));
      assertThat(last.getAdjustmentFactor()).isEqualByComparingTo("1");
    }

    @Test
    void aRedeemBurnsSharesAndPaysOutNetOfItsFee() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setInitialShares(dec("1000"))
          .setRedemptionFee(dec("0.01")), T0);
      h.price(BTC, "100", T0);
      h.flow("r1", "BTC3L", FlowType.REDEEM, "100", at(1));
      h.price(BTC, "100", at(1));

      FlowResult result = onlyResult();
      assertThat(result.getShares()).isEqualByComparingTo("100");
      assertThat(result.getFee()).isEqualByComparingTo("1");
      assertThat(result.getCash()).isEqualByComparingTo("99");
      List<NavUpdate> navs = h.navs();
      assertThat(navs.get(navs.size() - 1).getShares()).isEqualByComparingTo("900");
      assertThat(navs.get(navs.size() - 1).getNav()).isEqualByComparingTo("1");
    }

    @Test
    void aRepeatedRequestIdIsAnsweredFromItsFirstResultAndNeverProcessedTwice() {
      incepted();
      h.flow("c1", "BTC3L", FlowType.CREATE, "100", at(1));
      h.flow("c1", "BTC3L", FlowType.CREATE, "100", at(1)); // while it waits: no second queueing
      h.price(BTC, "100", at(1));
      FlowResult first = onlyResult();
      h.rebalances();

      h.flow("c1", "BTC3L", FlowType.CREATE, "100", at(2)); // after: the first answer again
      h.price(BTC, "100", at(3));

      assertThat(h.flowResults.readValuesToList()).containsExactly(first);
      assertThat(h.rebalances()).isEmpty();
      KeyValueStore<String, FlowResult> store = h.driver.getKeyValueStore(StoreNames.FLOW_RESULTS);
      assertThat(store.get("BTC3L/c1")).isEqualTo(first);
      List<NavUpdate> navs = h.navs();
      assertThat(navs.get(navs.size() - 1).getShares()).isEqualByComparingTo("1100");
    }

    @Test
    void eachRejectionComesBackWithItsReason() {
      h.define(fund("PEND", BTC, Direction.LONG, "3").setEffectiveTime(at(3600)), T0);
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setInitialShares(dec("1000"))
          .setDailyRebalanceTime("00:00").setFlowBlackoutMinutes(10), T0);
      h.price(BTC, "100", T0);
      h.flow("u", "NOPE", FlowType.CREATE, "1", at(1000));
      h.flow("z", "BTC3L", FlowType.CREATE, "0", at(1000));
      h.flow("p", "PEND", FlowType.CREATE, "1", at(1000));
      h.flow("x", "BTC3L", FlowType.REDEEM, "1001", at(1000));
      h.flow("b", "BTC3L", FlowType.CREATE, "1", T0.plus(Duration.ofDays(1)).minus(Duration.ofMinutes(5)));
      h.retire("BTC3L", at(2000));
      h.flow("r", "BTC3L", FlowType.CREATE, "1", at(2000));

      List<FlowResult> results = h.flowResults.readValuesToList();
      assertThat(results).extracting(FlowResult::getStatus).containsOnly(FlowStatus.REJECTED);
      assertThat(results).extracting(r -> r.getRequestId() + ":" + r.getReasonCode()).containsExactly(
          "u:UNKNOWN_FUND", "z:NON_POSITIVE_AMOUNT", "p:NO_PRICE", "x:EXCEEDS_OUTSTANDING",
          "b:BLACKOUT", "r:FUND_CLOSED");
      assertThat(results).allSatisfy(r -> assertThat(r.getReason()).isNotBlank());
    }

    @Test
    void aMalformedFlowIsDeadLettered() {
      incepted();
      h.flow("k", "OTHER", FlowType.UNKNOWN, "1", at(1));
      assertThat(h.deadLetterReasons()).singleElement().asString().startsWith("MALFORMED_RECORD");
      assertThat(h.flowResults.isEmpty()).isTrue();
    }
  }

  @Nested
  class SplitsAndMerges {
    @Test
    void aMergeAtTheDailyRebalanceIsPublishedAndTheAdjustedNavStaysContinuous() {
      h.define(fund("BTC1L", BTC, Direction.LONG, "1").setInitialShares(dec("1000"))
          .setDailyRebalanceTime("00:00")
          .setNavPolicy(NavSplitPolicy.newBuilder().setMinNav(dec("0.1")).build()), T0);
      h.price(BTC, "100", T0);
      h.price(BTC, "8.8", T0.plus(Duration.ofDays(1)));

      List<CorporateAction> actions = h.corporateActions.readValuesToList();
      assertThat(actions).singleElement().satisfies(a -> {
        assertThat(a.getType()).isEqualTo(CorporateActionType.MERGE);
        assertThat(a.getRatio()).isEqualTo(10);
        assertThat(a.getNavBefore()).isEqualByComparingTo("0.088");
        assertThat(a.getNavAfter()).isEqualByComparingTo("0.88");
        assertThat(a.getSharesBefore()).isEqualByComparingTo("1000");
        assertThat(a.getSharesAfter()).isEqualByComparingTo("100");
      });
      List<NavUpdate> navs = h.navs();
      NavUpdate last = navs.get(navs.size() - 1);
      assertThat(last.getNav()).isEqualByComparingTo("0.88");
      assertThat(last.getAdjustmentFactor()).isEqualByComparingTo("10");
      assertThat(last.getAdjustedNav()).isEqualByComparingTo("0.088");
      List<io.navstream.avro.FundState> states = h.states();
      assertThat(states.get(states.size() - 1).getAdjustmentFactor()).isEqualByComparingTo("10");
    }
  }

  @Nested
  class PremiumDiscount {
    @Test
    void premiumIsMarketPriceOverTheNavInForceAtTheTokenPricesTime() {
      incepted();
      h.price(BTC, "110", at(10)); // NAV 1.3
      h.tokenPrice("BTC3L", "1.365", at(20));
      h.tokenPrice("BTC3L", "1.3", at(30)); // moves stream time past the grace period

      List<io.navstream.avro.PremiumDiscount> out = h.premiums.readValuesToList();
      assertThat(out.get(0).getNav()).isEqualByComparingTo("1.3");
      assertThat(out.get(0).getNavTime()).isEqualTo(at(10));
      assertThat(out.get(0).getPremium()).isEqualByComparingTo("0.05");
      assertThat(out.get(0).getAlert()).isFalse(); // not above the global 0.05
      assertThat(out.get(0).getEventTime()).isEqualTo(at(20));
    }

    @Test
    void aTokenPriceThatArrivesBeforeTheNavOfItsTimeStillJoinsThatNav() {
      incepted(); // NAV 1 at T0
      h.tokenPrice("BTC3L", "1.43", at(10)); // the market has seen the move already
      h.price(BTC, "110", at(10)); // NAV 1.3 at the same time, arriving later
      h.tokenPrice("BTC3L", "1.3", at(12)); // moves stream time past the grace period

      List<io.navstream.avro.PremiumDiscount> out = h.premiums.readValuesToList();
      assertThat(out).isNotEmpty();
      // Joined with NAV 1.3 (premium 10%), not the stale NAV 1 (which would be 43%).
      assertThat(out.get(0).getNav()).isEqualByComparingTo("1.3");
      assertThat(out.get(0).getPremium()).isEqualByComparingTo("0.1");
      assertThat(out.get(0).getAlert()).isTrue();
      assertThat(out.get(0).getThreshold()).isEqualByComparingTo("0.05");
    }

    @Test
    void aFundsOwnThresholdWinsOverTheGlobalOne() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setPremiumAlertThreshold(dec("0.2")), T0);
      h.price(BTC, "100", T0);
      h.tokenPrice("BTC3L", "0.85", at(1)); // a 15% discount
      h.tokenPrice("BTC3L", "1", at(5));

      io.navstream.avro.PremiumDiscount first = h.premiums.readValuesToList().get(0);
      assertThat(first.getPremium()).isEqualByComparingTo("-0.15");
      assertThat(first.getAlert()).isFalse();
      assertThat(first.getThreshold()).isEqualByComparingTo("0.2");
      KeyValueStore<String, io.navstream.avro.PremiumDiscount> latest =
          h.driver.getKeyValueStore(StoreNames.LATEST_PREMIUMS);
      assertThat(latest.get("BTC3L")).isNotNull();
    }

    @Test
    void aTokenThatTradesOnlyEveryFewMinutesStillJoinsTheNavOfItsTime() {
      incepted(); // NAV 1 at T0
      h.price(BTC, "110", at(10)); // NAV 1.3
      h.tokenPrice("BTC3L", "1.3", at(20));
      for (int minute = 1; minute <= 10; minute++) { // the NAV moves on every minute meanwhile
        h.price(BTC, minute % 2 == 0 ? "100" : "105", at(20 + 60 * minute));
      }
      h.tokenPrice("BTC3L", "1", at(20 + 60 * 10 + 5)); // releases the first, ten minutes later

      List<io.navstream.avro.PremiumDiscount> out = h.premiums.readValuesToList();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getNav()).isEqualByComparingTo("1.3");
      assertThat(out.get(0).getNavTime()).isEqualTo(at(10));
      assertThat(out.get(0).getPremium()).isEqualByComparingTo("0");
      assertThat(h.deadLetterReasons()).isEmpty();
    }

    @Test
    void theNavHistoryUsesNavUpdatesAsItsChangelogInsteadOfWritingEveryNavTwice() {
      incepted();
      h.price(BTC, "110", at(10));
      h.tokenPrice("BTC3L", "1.3", at(20));
      assertThat(h.driver.producedTopicNames())
          .contains("nav-updates", "navstream-test-fund-books-changelog")
          .doesNotContain("navstream-test-nav-history-changelog");
    }

    @Test
    void theNavHistoryKeepsEachNavUpdateAsTheBytesPublishedOnNavUpdates() {
      incepted();
      h.price(BTC, "110", at(10));
      TestOutputTopic<String, byte[]> raw = h.driver.createOutputTopic(h.topics.navUpdates().name(),
          new StringDeserializer(), new ByteArrayDeserializer());
      byte[] published = raw.readValue();

      VersionedKeyValueStore<String, byte[]> history = h.driver.getVersionedKeyValueStore(StoreNames.NAV_HISTORY);
      VersionedRecord<byte[]> latest = history.get("BTC3L");
      assertThat(latest.value()).isEqualTo(published); // stored as published: never re-encoded
      assertThat(latest.timestamp()).isEqualTo(at(10).toEpochMilli()); // the update's eventTime
      assertThat(h.topics.navUpdates().valueSerde().deserializer()
          .deserialize(h.topics.navUpdates().name(), latest.value()).getNav()).isEqualByComparingTo("1.3");
    }

    @Test
    void aTokenPriceWhoseNavCannotBeReadIsDeadLetteredAndTheNextOneStillJoins() {
      incepted(); // NAV 1 at T0
      TestInputTopic<String, byte[]> rawNavs = h.driver.createInputTopic(h.topics.navUpdates().name(),
          new StringSerializer(), new ByteArraySerializer());
      rawNavs.pipeInput("BTC3L", new byte[] {0, 0, 0, 0, 42, 7}, at(10)); // a registry id no one wrote
      h.tokenPrice("BTC3L", "1.3", at(20));
      h.price(BTC, "110", at(30)); // NAV 1.3, readable
      h.tokenPrice("BTC3L", "1.3", at(40));
      h.tokenPrice("BTC3L", "1.3", at(50)); // moves stream time past the grace period

      assertThat(h.deadLetterReasons()).singleElement().asString()
          .startsWith("MALFORMED_RECORD: The NAV of fund 'BTC3L' in force at " + at(20) + " cannot be read");
      List<io.navstream.avro.PremiumDiscount> out = h.premiums.readValuesToList();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getNavTime()).isEqualTo(at(30));
      assertThat(out.get(0).getPremium()).isEqualByComparingTo("0");
    }

    @Test
    void aTokenPriceWithoutAnyNavIsDeadLettered() {
      h.tokenPrice("GHOST", "1", at(1));
      h.tokenPrice("GHOST", "1", at(5));
      h.tokenPrice("GHOST", "-1", at(6));
      assertThat(h.premiums.isEmpty()).isTrue();
      assertThat(h.deadLetterReasons()).extracting(r -> r.substring(0, r.indexOf(':')))
          .containsExactly("NO_NAV", "INVALID_PRICE"); // the first leaves the buffer when the second arrives
    }
  }
}
