package io.navstream.topology;

import static io.navstream.topology.TopologyHarness.T0;
import static io.navstream.topology.TopologyHarness.dec;
import static io.navstream.topology.TopologyHarness.fund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.navstream.avro.Direction;
import io.navstream.avro.FundCommand;
import io.navstream.avro.FundCommandType;
import io.navstream.avro.FundState;
import io.navstream.avro.FundStatus;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PriceTick;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.RebalanceReason;
import io.navstream.avro.TradeSide;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NavTopologyTest {
  private static final String BTC = "BTC-USDT";
  private static final String ETH = "ETH-USDT";
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

  private static Instant day(int n) {
    return T0.plus(Duration.ofDays(n));
  }

  private void definePair(String threshold) {
    h.define(fund("BTC3L", BTC, Direction.LONG, "3").setThresholdMove(dec(threshold)), T0);
    h.define(fund("BTC3S", BTC, Direction.SHORT, "3").setThresholdMove(dec(threshold)), T0);
  }

  @Nested
  class NavAndInception {
    @Test
    void firstPriceIncepsEveryFundAndEachTickUpdatesNavInFundIdOrder() {
      definePair(null);
      h.define(fund("ETH3L", ETH, Direction.LONG, "3"), T0);
      assertThat(h.states()).extracting(FundState::getStatus).containsOnly(FundStatus.PENDING).hasSize(3);

      h.price(BTC, "100", T0);
      assertThat(h.rebalances()).extracting(RebalanceInstruction::getInstructionId, RebalanceInstruction::getReason)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("BTC3L-1", RebalanceReason.INCEPTION),
              org.assertj.core.groups.Tuple.tuple("BTC3S-1", RebalanceReason.INCEPTION));
      assertThat(h.states()).extracting(FundState::getFundId).containsExactly("BTC3L", "BTC3S");
      assertThat(h.navs()).extracting(NavUpdate::getNav).containsExactly(dec("1"), dec("1"));

      h.price(BTC, "110", T0.plusSeconds(1));
      List<TestRecord<String, NavUpdate>> records = h.navUpdates.readRecordsToList();
      assertThat(records).extracting(TestRecord::key).containsExactly("BTC3L", "BTC3S");
      assertThat(records.get(0).value().getNav()).isEqualByComparingTo("1.3");
      assertThat(records.get(1).value().getNav()).isEqualByComparingTo("0.7");
      assertThat(records.get(0).getRecordTime()).isEqualTo(T0.plusSeconds(1));
      assertThat(records.get(0).value().getEventTime()).isEqualTo(T0.plusSeconds(1));
      // A plain tick writes no book and publishes no fund state.
      assertThat(h.states()).isEmpty();
      assertThat(h.rebalances()).isEmpty();
    }

    @Test
    void aFundWaitsForAPriceAtOrAfterItsEffectiveTime() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setEffectiveTime(T0.plusSeconds(60)), T0);
      h.price(BTC, "100", T0.plusSeconds(59));
      assertThat(h.navs()).isEmpty();
      h.price(BTC, "100", T0.plusSeconds(60));
      assertThat(h.rebalances()).extracting(RebalanceInstruction::getReason).containsExactly(RebalanceReason.INCEPTION);
    }

    @Test
    void outputsAreRealConfluentWireFormatInTheRegistry() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.price(BTC, "100", T0);
      var raw = h.driver.createOutputTopic(h.topics.navUpdates().name(),
          new org.apache.kafka.common.serialization.StringDeserializer(),
          new org.apache.kafka.common.serialization.ByteArrayDeserializer()).readValue();
      assertThat(raw[0]).isEqualTo((byte) 0);
      int id = java.nio.ByteBuffer.wrap(raw, 1, 4).getInt();
      assertThat(h.registry.schemaById(id)).isEqualTo(NavUpdate.getClassSchema());
      assertThat(h.registry.lookup("nav-updates-value", NavUpdate.getClassSchema())).isEqualTo(id);
    }
  }

  @Nested
  class Triggers {
    @Test
    void dailyRebalancesAtTheFirstTickAtOrAfterTheScheduledTime() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setDailyRebalanceTime("00:00"), T0);
      h.price(BTC, "100", day(0));
      h.price(BTC, "110", day(1).minusMillis(1));
      h.price(BTC, "110", day(1));
      List<RebalanceInstruction> r = h.rebalances();
      assertThat(r).extracting(RebalanceInstruction::getReason)
          .containsExactly(RebalanceReason.INCEPTION, RebalanceReason.DAILY);
      assertThat(r.get(1).getEventTime()).isEqualTo(day(1));
      assertThat(h.states()).last().satisfies(s -> {
        assertThat(s.getNextScheduledRebalance()).isEqualTo(day(2));
        assertThat(s.getLastRebalancePrice()).isEqualByComparingTo("110");
        assertThat(s.getRebalanceSequence()).isEqualTo(2);
      });
    }

    @Test
    void thresholdRebalancesTheLosingSideOnly() {
      definePair("0.15");
      h.price(BTC, "100", T0);
      h.rebalances();
      h.price(BTC, "114.9", T0.plusSeconds(1));
      assertThat(h.rebalances()).isEmpty();
      h.price(BTC, "115", T0.plusSeconds(2));
      assertThat(h.rebalances()).extracting(RebalanceInstruction::getFundId, RebalanceInstruction::getReason)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("BTC3S", RebalanceReason.THRESHOLD));
    }

    @Test
    void bandRebalancesWhenLeverageLeavesIt() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setMinLeverage(dec("1.25")).setMaxLeverage(dec("4")), T0);
      h.price(BTC, "100", T0);
      h.price(BTC, "89", T0.plusSeconds(1));
      h.price(BTC, "88.8", T0.plusSeconds(2));
      List<RebalanceInstruction> r = h.rebalances();
      assertThat(r).extracting(RebalanceInstruction::getReason)
          .containsExactly(RebalanceReason.INCEPTION, RebalanceReason.BAND);
      assertThat(r.get(1).getLeverageBefore()).isGreaterThan(dec("4"));
      assertThat(r.get(1).getLeverageAfter()).isCloseTo(new BigDecimal("3"), within(TOLERANCE));
      assertThat(r.get(1).getSide()).isEqualTo(TradeSide.SELL);
    }

    @Test
    void aZeroSizeDailyRebalanceIsEmittedWithSideNone() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setDailyRebalanceTime("00:00"), T0);
      h.price(BTC, "100", day(0));
      h.price(BTC, "100", day(1));
      RebalanceInstruction daily = h.rebalances().get(1);
      assertThat(daily.getSide()).isEqualTo(TradeSide.NONE);
      assertThat(daily.getDeltaQuantity()).isEqualByComparingTo("0");
      assertThat(daily.getNotional()).isEqualByComparingTo("0");
    }
  }

  @Nested
  class FeesAndFunding {
    @Test
    void managementFeeIsTakenAtTheRebalanceAndCounted() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setInitialNav(dec("100"))
          .setDailyRebalanceTime("00:00").setManagementFeeDaily(dec("0.001")), T0);
      h.price(BTC, "100", day(0));
      h.price(BTC, "100", day(1));
      assertThat(h.navs()).last().extracting(NavUpdate::getNav).isEqualTo(dec("99.9"));
      assertThat(h.states()).last().extracting(FundState::getCumulativeManagementFees).isEqualTo(dec("0.1"));
    }

    @Test
    void tradingFeeIsPaidFromCash() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setDailyRebalanceTime("00:00")
          .setTradingFeeRate(dec("0.001")), T0);
      h.price(BTC, "100", day(0));
      h.price(BTC, "110", day(1));
      RebalanceInstruction r = h.rebalances().get(1);
      assertThat(r.getTradingFee()).isPositive();
      assertThat(h.states()).last().extracting(FundState::getCumulativeTradingFees).isEqualTo(r.getTradingFee());
    }

    @Test
    void fundingMovesCashAndEmitsNavAtTheLastPrice() {
      definePair(null);
      h.price(BTC, "100", T0);
      h.navs();
      h.states();
      h.rebalances();
      h.funding(BTC, "0.01", T0.plusSeconds(10));
      List<NavUpdate> navs = h.navs();
      assertThat(navs).extracting(NavUpdate::getFundId).containsExactly("BTC3L", "BTC3S");
      assertThat(navs).extracting(NavUpdate::getPrice).containsOnly(dec("100"));
      assertThat(navs.get(0).getNav()).isEqualByComparingTo("0.97"); // long pays 3 * 0.01
      assertThat(navs.get(1).getNav()).isEqualByComparingTo("1.03"); // short receives
      assertThat(h.states()).extracting(FundState::getCumulativeFunding).containsExactly(dec("-0.03"), dec("0.03"));
      assertThat(h.rebalances()).isEmpty();
    }
  }

  @Nested
  class DeadLetters {
    @Test
    void aLateTickChangesNothingAndIsDeadLettered() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.price(BTC, "100", T0.plusSeconds(10));
      h.navs();
      h.price(BTC, "50", T0.plusSeconds(5));
      assertThat(h.navs()).isEmpty();
      assertThat(h.deadLetterReasons()).singleElement().asString().startsWith("LATE_INPUT: Price of BTC-USDT");
      // The watermark still holds: an equal time is fine.
      h.price(BTC, "101", T0.plusSeconds(10));
      assertThat(h.navs()).hasSize(1);
    }

    @Test
    void aLateFundingEventIsDeadLetteredToo() {
      h.price(BTC, "100", T0.plusSeconds(10));
      h.funding(BTC, "0.01", T0.plusSeconds(9));
      assertThat(h.deadLetterReasons()).singleElement().asString().startsWith("LATE_INPUT: Funding rate");
    }

    @Test
    void aNonPositivePriceIsDeadLetteredWithItsOwnBytes() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.price(BTC, "0", T0);
      TestRecord<String, byte[]> dead = h.deadLetters.readRecord();
      assertThat(TopologyHarness.header(dead, io.navstream.topology.DeadLetters.REASON)).isEqualTo("INVALID_PRICE");
      assertThat(TopologyHarness.header(dead, io.navstream.topology.DeadLetters.SOURCE_TOPIC)).isEqualTo("prices");
      PriceTick back = h.topics.prices().valueSerde().deserializer().deserialize("prices", dead.value());
      assertThat(back.getPrice()).isEqualByComparingTo("0");
      assertThat(h.navs()).isEmpty();
    }

    @Test
    void aKeyThatDiffersFromTheSymbolIsDeadLettered() {
      h.price(ETH, "100", T0); // harness keys by symbol; make the value disagree:
      h.deadLetterReasons();
      h.driver.createInputTopic("prices", new org.apache.kafka.common.serialization.StringSerializer(),
          h.topics.prices().valueSerde().serializer()).pipeInput(BTC, new PriceTick(ETH, dec("1"), T0), T0);
      assertThat(h.deadLetterReasons()).singleElement().asString().startsWith("KEY_MISMATCH");
    }

    @Test
    void malformedBytesAreDeadLetteredAndTheAppKeepsGoing() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.rawPrice(BTC, new byte[] {7, 7, 7}, T0);
      assertThat(h.deadLetterReasons()).singleElement().asString().startsWith("MALFORMED_RECORD");
      h.price(BTC, "100", T0);
      assertThat(h.rebalances()).hasSize(1);
    }

    @Test
    void anInvalidDefinitionIsRefusedAndThePreviousOneStaysInForce() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.define(fund("BTC3L", BTC, Direction.LONG, "0").setThresholdMove(dec("1.5")), T0);
      assertThat(h.deadLetterReasons()).singleElement().asString()
          .startsWith("INVALID_DEFINITION")
          .contains("targetLeverage 0", "thresholdMove 1.5");
      h.price(BTC, "100", T0);
      h.price(BTC, "110", T0.plusSeconds(1));
      assertThat(h.navs()).last().extracting(NavUpdate::getNav).isEqualTo(dec("1.3"));
    }

    @Test
    void anUnknownDirectionIsAnInvalidDefinition() {
      h.define(fund("BTC3L", BTC, Direction.UNKNOWN, "3"), T0);
      assertThat(h.deadLetterReasons()).singleElement().asString().contains("direction 'UNKNOWN' is unknown");
    }
  }

  @Nested
  class Lifecycle {
    @Test
    void aChangeMidLifeIsStagedUntilTheNextTriggeredRebalance() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setDailyRebalanceTime("00:00"), T0);
      h.price(BTC, "100", day(0));
      h.define(fund("BTC3L", BTC, Direction.LONG, "2").setDailyRebalanceTime("00:00"), day(0).plusSeconds(1));
      assertThat(h.states()).last().satisfies(s -> {
        assertThat(s.getDefinition().getTargetLeverage()).isEqualByComparingTo("3");
        assertThat(s.getPendingDefinition().getTargetLeverage()).isEqualByComparingTo("2");
      });
      h.price(BTC, "101", day(0).plusSeconds(2));
      assertThat(h.navs()).last().extracting(NavUpdate::getLeverage, org.assertj.core.api.InstanceOfAssertFactories.BIG_DECIMAL)
          .isGreaterThan(new BigDecimal("2.9"));
      h.price(BTC, "100", day(1));
      assertThat(h.navs()).last().extracting(NavUpdate::getLeverage, org.assertj.core.api.InstanceOfAssertFactories.BIG_DECIMAL)
          .isCloseTo(new BigDecimal("2"), within(TOLERANCE));
      assertThat(h.states()).last().satisfies(s -> {
        assertThat(s.getDefinition().getTargetLeverage()).isEqualByComparingTo("2");
        assertThat(s.getPendingDefinition()).isNull();
      });
    }

    @Test
    void changingAnImmutableFieldAfterInceptionIsDeadLettered() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.price(BTC, "100", T0);
      h.define(fund("BTC3L", BTC, Direction.SHORT, "3"), T0.plusSeconds(1));
      assertThat(h.deadLetterReasons()).singleElement().asString()
          .startsWith("IMMUTABLE_FIELD_CHANGED").contains("direction");
      h.define(fund("BTC3L", ETH, Direction.LONG, "3"), T0.plusSeconds(2));
      assertThat(h.deadLetterReasons()).singleElement().asString()
          .startsWith("IMMUTABLE_FIELD_CHANGED").contains("underlying");
    }

    @Test
    void retirementClosesAtTheNextTickAndTheFundIdIsNeverReused() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setTradingFeeRate(dec("0.001")), T0);
      h.price(BTC, "100", T0);
      h.retire("BTC3L", T0.plusSeconds(1));
      assertThat(h.states()).last().extracting(FundState::getStatus).isEqualTo(FundStatus.RETIRING);
      h.navs();
      h.price(BTC, "100", T0.plusSeconds(2));
      assertThat(h.rebalances()).last().satisfies(r -> {
        assertThat(r.getReason()).isEqualTo(RebalanceReason.RETIREMENT);
        assertThat(r.getToQuantity()).isEqualByComparingTo("0");
        assertThat(r.getTradingFee()).isEqualByComparingTo("0.003"); // 0.001 of notional 3
      });
      assertThat(h.navs()).singleElement().satisfies(n -> {
        assertThat(n.getStatus()).isEqualTo(FundStatus.RETIRED);
        assertThat(n.getEquity()).isEqualByComparingTo("0.997");
      });
      assertThat(h.states()).last().extracting(FundState::getStatus).isEqualTo(FundStatus.RETIRED);
      h.price(BTC, "100", T0.plusSeconds(3));
      assertThat(h.navs()).isEmpty();
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0.plusSeconds(4));
      assertThat(h.deadLetterReasons()).singleElement().asString().startsWith("FUND_CLOSED");
    }

    @Test
    void aFundRetiredBeforeInceptionJustStops() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.retire("BTC3L", T0);
      assertThat(h.states()).last().extracting(FundState::getStatus).isEqualTo(FundStatus.RETIRED);
      h.price(BTC, "100", T0.plusSeconds(1));
      assertThat(h.rebalances()).isEmpty();
      assertThat(h.navs()).isEmpty();
    }

    @Test
    void retiringAnUnknownFundIsDeadLettered() {
      h.retire("NOPE", T0);
      assertThat(h.deadLetterReasons()).singleElement().asString().startsWith("UNKNOWN_FUND");
    }

    @Test
    void depletionClosesTheFundAtNavZero() {
      h.define(fund("BTC5L", BTC, Direction.LONG, "5"), T0);
      h.price(BTC, "100", T0);
      h.navs();
      h.price(BTC, "79", T0.plusSeconds(1));
      assertThat(h.rebalances()).last().extracting(RebalanceInstruction::getReason).isEqualTo(RebalanceReason.DEPLETION);
      assertThat(h.navs()).singleElement().satisfies(n -> {
        assertThat(n.getNav()).isEqualByComparingTo("0");
        assertThat(n.getStatus()).isEqualTo(FundStatus.DEPLETED);
      });
      h.price(BTC, "100", T0.plusSeconds(2));
      assertThat(h.navs()).isEmpty();
    }
  }

  @Nested
  class QueryableState {
    @Test
    void navUpdatesFoldIntoOneCandlePerFundPerMinuteEmittedWhenTheWindowCloses() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.price(BTC, "100", T0);                  // nav 1 (inception)
      h.price(BTC, "110", T0.plusSeconds(20));  // nav 1.3
      h.price(BTC, "95", T0.plusSeconds(40));   // nav 0.85
      h.price(BTC, "101", T0.plusSeconds(59));  // nav 1.03
      assertThat(h.navCandles.isEmpty()).isTrue(); // the minute is still open
      h.price(BTC, "102", T0.plusSeconds(61));
      io.navstream.avro.NavCandle candle = h.navCandles.readValue();
      assertThat(candle.getWindowStart()).isEqualTo(T0);
      assertThat(candle.getWindowEnd()).isEqualTo(T0.plusSeconds(60));
      assertThat(candle.getOpen()).isEqualByComparingTo("1");
      assertThat(candle.getHigh()).isEqualByComparingTo("1.3");
      assertThat(candle.getLow()).isEqualByComparingTo("0.85");
      assertThat(candle.getClose()).isEqualByComparingTo("1.03");
      assertThat(candle.getUpdates()).isEqualTo(4);
      assertThat(h.navCandles.isEmpty()).isTrue();
      // The window store answers for the open minute too.
      var store = h.driver.<String, io.navstream.avro.NavCandle>getWindowStore(StoreNames.NAV_CANDLES);
      assertThat(store.fetch("BTC3L", T0.plusSeconds(60).toEpochMilli())).isNotNull()
          .extracting(io.navstream.avro.NavCandle::getUpdates).isEqualTo(1L);
    }

    @Test
    void aRetiredFundsLastCandleIsEmittedAtOnce() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.price(BTC, "100", T0);
      h.retire("BTC3L", T0.plusSeconds(1));
      h.price(BTC, "100", T0.plusSeconds(2));
      assertThat(h.navCandles.readValuesToList()).singleElement()
          .satisfies(c -> assertThat(c.getUpdates()).isEqualTo(2));
    }

    @Test
    void recentRebalancesAreKeptNewestFirst() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setDailyRebalanceTime("00:00"), T0);
      h.price(BTC, "100", day(0));
      h.price(BTC, "110", day(1));
      h.price(BTC, "120", day(2));
      var store = h.driver.<String, io.navstream.avro.internal.RecentRebalances>getKeyValueStore(
          StoreNames.RECENT_REBALANCES);
      assertThat(store.get("BTC3L").getInstructions())
          .extracting(RebalanceInstruction::getInstructionId)
          .containsExactly("BTC3L-3", "BTC3L-2", "BTC3L-1");
    }
  }

  @Nested
  class OperatorCommands {
    private void thresholdFund() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3").setThresholdMove(dec("0.15")), T0);
      h.price(BTC, "100", T0);
      h.rebalances();
      h.states();
      h.navs();
    }

    @Test
    void aManualRebalanceReleversToTargetAtTheLastPriceWithReasonManual() {
      thresholdFund();
      h.price(BTC, "110", T0.plusSeconds(60));
      assertThat(h.navs()).hasSize(1);
      h.command("BTC3L", "c-1", FundCommandType.REBALANCE, T0.plusSeconds(90));

      List<RebalanceInstruction> rebalances = h.rebalances();
      assertThat(rebalances).hasSize(1);
      RebalanceInstruction r = rebalances.get(0);
      assertThat(r.getReason()).isEqualTo(RebalanceReason.MANUAL);
      assertThat(r.getInstructionId()).isEqualTo("BTC3L-2");
      assertThat(r.getEventTime()).isEqualTo(T0.plusSeconds(90));
      assertThat(r.getPrice()).isEqualByComparingTo("110");
      assertThat(r.getFromQuantity()).isEqualByComparingTo("0.03");
      assertThat(r.getToQuantity()).isEqualByComparingTo("0.035454545454545455");
      assertThat(r.getSide()).isEqualTo(TradeSide.BUY);
      assertThat(h.states()).singleElement().satisfies(s -> {
        assertThat(s.getLastRebalancePrice()).isEqualByComparingTo("110");
        assertThat(s.getRebalanceSequence()).isEqualTo(2);
      });
      assertThat(h.navs()).extracting(NavUpdate::getNav).singleElement()
          .satisfies(nav -> assertThat(nav).isEqualByComparingTo("1.3"));
      assertThat(h.deadLetterReasons()).isEmpty();
    }

    @Test
    void aRepeatedCommandIdIsAppliedOnceAndTheRepeatIsDeadLettered() {
      thresholdFund();
      h.command("BTC3L", "same", FundCommandType.REBALANCE, T0.plusSeconds(10));
      h.command("BTC3L", "same", FundCommandType.REBALANCE, T0.plusSeconds(11));

      assertThat(h.rebalances()).extracting(RebalanceInstruction::getReason).containsExactly(RebalanceReason.MANUAL);
      assertThat(h.deadLetterReasons()).singleElement().asString().startsWith("DUPLICATE_COMMAND: ");
    }

    @Test
    void pauseSuppressesAThresholdRebalanceAndResumeReenablesIt() {
      thresholdFund();
      h.command("BTC3L", "p-1", FundCommandType.PAUSE, T0.plusSeconds(10));
      assertThat(h.states()).singleElement().satisfies(s -> assertThat(s.getRebalancesPaused()).isTrue());

      h.price(BTC, "85", T0.plusSeconds(20));
      assertThat(h.rebalances()).as("paused").isEmpty();
      assertThat(h.navs()).extracting(NavUpdate::getNav).singleElement()
          .satisfies(nav -> assertThat(nav).isEqualByComparingTo("0.55"));

      h.command("BTC3L", "r-1", FundCommandType.RESUME, T0.plusSeconds(30));
      assertThat(h.states()).singleElement().satisfies(s -> assertThat(s.getRebalancesPaused()).isFalse());
      assertThat(h.rebalances()).as("a resume trades nothing itself").isEmpty();

      h.price(BTC, "85", T0.plusSeconds(40));
      assertThat(h.rebalances()).extracting(RebalanceInstruction::getReason).containsExactly(RebalanceReason.THRESHOLD);
    }

    @Test
    void aCommandForAnUnknownFundIsDeadLetteredWithTheCommandsOwnBytes() {
      h.command("NOPE", "c-1", FundCommandType.PAUSE, T0);

      List<TestRecord<String, byte[]>> dead = h.deadLetters.readRecordsToList();
      assertThat(dead).singleElement().satisfies(d -> {
        assertThat(TopologyHarness.header(d, io.navstream.topology.DeadLetters.REASON)).isEqualTo("UNKNOWN_FUND");
        assertThat(TopologyHarness.header(d, io.navstream.topology.DeadLetters.SOURCE_TOPIC)).isEqualTo("fund-commands");
        FundCommand back = h.topics.fundCommands().valueSerde().deserializer().deserialize("fund-commands", d.value());
        assertThat(back.getCommandId()).isEqualTo("c-1");
      });
      assertThat(h.states()).isEmpty();
    }

    @Test
    void commandsForARetiredFundOrBeforeInceptionAreDeadLettered() {
      h.define(fund("BTC3L", BTC, Direction.LONG, "3"), T0);
      h.command("BTC3L", "c-1", FundCommandType.REBALANCE, T0.plusSeconds(1));
      h.retire("BTC3L", T0.plusSeconds(2));
      h.command("BTC3L", "c-2", FundCommandType.PAUSE, T0.plusSeconds(3));

      assertThat(h.deadLetterReasons()).extracting(r -> r.substring(0, r.indexOf(':')))
          .containsExactly("NOT_INCEPTED", "FUND_CLOSED");
      assertThat(h.rebalances()).isEmpty();
    }

    @Test
    void aCommandOlderThanTheUnderlyingsWatermarkTakesEffectAtTheWatermark() {
      thresholdFund();
      h.price(BTC, "110", T0.plusSeconds(600));
      h.command("BTC3L", "c-1", FundCommandType.REBALANCE, T0.plusSeconds(5));

      assertThat(h.rebalances()).singleElement().satisfies(r -> {
        assertThat(r.getEventTime()).isEqualTo(T0.plusSeconds(600));
        assertThat(r.getPrice()).isEqualByComparingTo("110");
      });
    }
  }
}
