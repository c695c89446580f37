package io.navstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.navstream.avro.FundDefinition;
import io.navstream.fund.Direction;
import io.navstream.fund.FundSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DemoFundsTest {
  private static final Instant RECORD_TIME = Instant.parse("2025-01-01T00:00:00Z");

  /** The Avro definition as the domain receives it (what the topology's codec does). */
  private static FundSpec validate(FundDefinition d) {
    FundSpec.Draft draft = new FundSpec.Draft(d.getFundId(), d.getUnderlying(),
        d.getDirection() == null ? null : d.getDirection().name(), d.getTargetLeverage(),
        d.getInitialNav(), d.getInitialShares(), d.getEffectiveTime(), d.getDailyRebalanceTime(),
        d.getRebalanceTimeZone(), d.getThresholdMove(), d.getMinLeverage(), d.getMaxLeverage(),
        d.getRecenteringSpeed(), d.getManagementFeeDaily(), d.getTradingFeeRate());
    return FundSpec.validate(draft, RECORD_TIME);
  }

  @Test
  void eightFundsWithTheExpectedIdsUnderlyingsDirectionsAndLeverages() {
    List<FundSpec> specs = DemoFunds.definitions().stream().map(DemoFundsTest::validate).toList();

    assertThat(specs)
        .extracting(FundSpec::fundId, FundSpec::underlying, FundSpec::direction,
            s -> s.targetLeverage().intValueExact())
        .containsExactly(
            tuple("BTC3L", "BTC-USDT", Direction.LONG, 3),
            tuple("BTC3S", "BTC-USDT", Direction.SHORT, 3),
            tuple("ETH3L", "ETH-USDT", Direction.LONG, 3),
            tuple("ETH3S", "ETH-USDT", Direction.SHORT, 3),
            tuple("SOL3L", "SOL-USDT", Direction.LONG, 3),
            tuple("SOL3S", "SOL-USDT", Direction.SHORT, 3),
            tuple("BTC5L", "BTC-USDT", Direction.LONG, 5),
            tuple("BTC5S", "BTC-USDT", Direction.SHORT, 5));
    assertThat(specs).extracting(FundSpec::underlying).containsOnlyElementsOf(DemoFunds.underlyings());
  }

  @Test
  void triggersFeesAndLaunchTermsAreTheExchangeLikeOnes() {
    for (FundSpec s : DemoFunds.definitions().stream().map(DemoFundsTest::validate).toList()) {
      boolean fiveX = s.targetLeverage().intValueExact() == 5;
      assertThat(s.thresholdMove()).as(s.fundId()).isEqualByComparingTo(fiveX ? "0.09" : "0.15");
      assertThat(s.minLeverage()).as(s.fundId()).isEqualByComparingTo(fiveX ? "2.5" : "1.25");
      assertThat(s.maxLeverage()).as(s.fundId()).isEqualByComparingTo(fiveX ? "7" : "4");
      // The same loss between rebalances for 3x and 5x: thresholdMove × L = 45%.
      assertThat(s.thresholdMove().multiply(s.targetLeverage())).isEqualByComparingTo("0.45");
      assertThat(s.dailyRebalanceTime()).isEqualTo(LocalTime.MIDNIGHT);
      assertThat(s.zone()).isEqualTo(ZoneId.of("UTC"));
      assertThat(s.recenteringSpeed()).isEqualByComparingTo("1");
      assertThat(s.managementFeeDaily()).isEqualByComparingTo("0.0001");
      assertThat(s.tradingFeeRate()).isEqualByComparingTo("0.0004");
      assertThat(s.initialNav()).isEqualByComparingTo("10");
      assertThat(s.initialShares()).isEqualByComparingTo("1000000");
      // No effectiveTime of their own: they take the record's time.
      assertThat(s.effectiveTime()).isEqualTo(RECORD_TIME);
    }
  }

  @Test
  void everyDecimalHasScale18() {
    for (FundDefinition d : DemoFunds.definitions()) {
      Stream.of(d.getTargetLeverage(), d.getInitialNav(), d.getInitialShares(), d.getThresholdMove(),
              d.getMinLeverage(), d.getMaxLeverage(), d.getRecenteringSpeed(),
              d.getManagementFeeDaily(), d.getTradingFeeRate())
          .peek(v -> assertThat(v).as(d.getFundId()).isNotNull())
          .filter(Objects::nonNull)
          .forEach(v -> assertThat(v.scale()).as(d.getFundId()).isEqualTo(18));
    }
  }

  @Test
  void eachCallGivesFreshRecords() {
    List<FundDefinition> first = DemoFunds.definitions();
    first.get(0).put("fundId", "CHANGED");

    assertThat(DemoFunds.definitions().get(0).getFundId()).isEqualTo("BTC3L");
    assertThat(DemoFunds.definitions()).isEqualTo(DemoFunds.definitions());
    assertThat(DemoFunds.definitions().get(0).getTargetLeverage()).isEqualTo(new BigDecimal("3.000000000000000000"));
  }
}
