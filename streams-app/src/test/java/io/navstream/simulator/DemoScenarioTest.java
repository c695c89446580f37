package io.navstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.avro.FundDefinition;
import io.navstream.fund.Fund;
import io.navstream.fund.FundBook;
import io.navstream.fund.FundSpec;
import io.navstream.fund.FundStatus;
import io.navstream.fund.RebalanceReason;
import io.navstream.fund.Step;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's market through navstream's own fund rules: with compressed days the demo funds show
 * THRESHOLD and BAND rebalances now and then besides the daily ones, and none is wiped out.
 */
class DemoScenarioTest {

  @Test
  void aMonthOfDemoMarketTriggersEveryKindOfRebalance() {
    Instant start = Scenarios.MIDNIGHT;
    // 30 simulated days: an hour of a demo with --day-length PT2M at 10 ticks per second.
    Instant end = start.plus(Duration.ofDays(30));
    PriceSimulator market = new PriceSimulator(Scenarios.demo(42, start, Scenarios.DEMO_INTERVAL));

    Map<String, FundBook> books = new LinkedHashMap<>();
    for (FundDefinition d : DemoFunds.definitions()) {
      books.put(d.getFundId(), FundBook.pending(spec(d, start), start));
    }
    Map<String, BigDecimal> lastPrices = new HashMap<>();
    Map<RebalanceReason, Integer> reasons = new EnumMap<>(RebalanceReason.class);

    while (!market.nextEventTime().isAfter(end)) {
      MarketEvent event = market.next();
      for (Map.Entry<String, FundBook> e : books.entrySet()) {
        if (!e.getValue().underlying().equals(event.symbol())) {
          continue;
        }
        Step step = event instanceof MarketEvent.Price p
            ? Fund.onPrice(e.getValue(), p.price(), p.eventTime())
            : Fund.onFunding(e.getValue(), ((MarketEvent.Funding) event).rate(),
                lastPrices.get(event.symbol()), event.eventTime());
        step.rebalance().ifPresent(r -> reasons.merge(r.reason(), 1, Integer::sum));
        e.setValue(step.book());
      }
      if (event instanceof MarketEvent.Price p) {
        lastPrices.put(p.symbol(), p.price());
      }
    }

    String counts = "rebalances " + reasons;
    assertThat(reasons.get(RebalanceReason.INCEPTION)).as(counts).isEqualTo(8);
    // At every 00:00 after inception (a tick falls on it): 30 a fund.
    assertThat(reasons.get(RebalanceReason.DAILY)).as(counts).isEqualTo(8 * 30);
    assertThat(reasons.getOrDefault(RebalanceReason.THRESHOLD, 0)).as(counts).isBetween(1, 8 * 10);
    assertThat(reasons.getOrDefault(RebalanceReason.BAND, 0)).as(counts).isBetween(1, 8 * 10);
    assertThat(books.values()).extracting(FundBook::status).containsOnly(FundStatus.ACTIVE);
  }

  private static FundSpec spec(FundDefinition d, Instant recordTime) {
    return FundSpec.validate(new FundSpec.Draft(d.getFundId(), d.getUnderlying(),
        d.getDirection().name(), d.getTargetLeverage(), d.getInitialNav(), d.getInitialShares(),
        d.getEffectiveTime(), d.getDailyRebalanceTime(), d.getRebalanceTimeZone(),
        d.getThresholdMove(), d.getMinLeverage(), d.getMaxLeverage(), d.getRecenteringSpeed(),
        d.getManagementFeeDaily(), d.getTradingFeeRate()), recordTime);
  }
}
