package io.navstream.simulator;

import static io.navstream.simulator.Scenarios.MIDNIGHT;
import static io.navstream.simulator.Scenarios.logReturns;
import static io.navstream.simulator.Scenarios.prices;
import static io.navstream.simulator.Scenarios.stdev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The paths have the statistics they are configured with (fixed seeds, generous bands). */
class PriceStatisticsTest {
  private static final double YEAR_MS = 365 * 86_400_000.0;

  private static List<MarketEvent.Price> path(SymbolModel model, long seed, int ticks) {
    return prices(new PriceSimulator(new Scenario(seed, MIDNIGHT, List.of(model), null)).next(ticks),
        model.symbol());
  }

  private static double annualised(double stdevPerTick, Duration interval) {
    return stdevPerTick / Math.sqrt(interval.toMillis() / YEAR_MS);
  }

  @Test
  void theDiffusionHasTheConfiguredVolatility() {
    Duration minute = Duration.ofMinutes(1);
    for (String symbol : SymbolModel.DEMO_SYMBOLS) {
      SymbolModel model = SymbolModel.of(symbol, minute).withJumps(0, 0, 0);
      // 30 simulated days of 1-minute ticks.
      List<MarketEvent.Price> ticks = path(model, 42, 30 * 1_440);

      double measured = annualised(stdev(logReturns(ticks)), minute);

      assertThat(measured).as(symbol).isCloseTo(model.annualVolatility(),
          within(0.2 * model.annualVolatility()));
      assertThat(ticks).allSatisfy(p -> assertThat(p.price().signum()).isPositive());
    }
  }

  @Test
  void withJumpsTheTotalVolatilityIsTheDocumentedOne() {
    Duration quarterHour = Duration.ofMinutes(15);
    for (String symbol : SymbolModel.DEMO_SYMBOLS) {
      SymbolModel model = SymbolModel.of(symbol, quarterHour);
      // Two simulated years: enough jumps (about 90) for a stable estimate.
      List<MarketEvent.Price> ticks = path(model, 7, 2 * 365 * 96);

      double measured = annualised(stdev(logReturns(ticks)), quarterHour);

      assertThat(model.totalAnnualVolatility()).as(symbol).isBetween(0.6, 0.9);
      assertThat(measured).as(symbol).isCloseTo(model.totalAnnualVolatility(),
          within(0.2 * model.totalAnnualVolatility()));
      assertThat(ticks).allSatisfy(p -> assertThat(p.price().signum()).isPositive());
    }
  }

  @Test
  void jumpsOccurAtTheConfiguredIntensityAndSize() {
    Duration hour = Duration.ofHours(1);
    double perDay = 2;
    // No diffusion and no drift: the log price moves only when it jumps.
    SymbolModel model = new SymbolModel("JUMP-USDT", 1_000, 0, 0, perDay, 0, 0.05, 6, hour);
    int days = 500;
    List<MarketEvent.Price> ticks = path(model, 3, days * 24 + 1);

    double[] returns = logReturns(ticks);
    double[] jumps = Arrays.stream(returns).filter(r -> r != 0).toArray();
    double jumpsPerTick = perDay / 24;
    // Ticks with at least one jump: P(N >= 1) = 1 - e^-λdt.
    double expected = returns.length * (1 - Math.exp(-jumpsPerTick));

    assertThat((double) jumps.length).isCloseTo(expected, within(0.15 * expected));
    assertThat(stdev(jumps)).isCloseTo(0.05, within(0.2 * 0.05));
    assertThat(Arrays.stream(jumps).filter(j -> Math.abs(j) > 0.05).count())
        .as("jumps beyond one standard deviation").isGreaterThan(jumps.length / 5);
  }

  @Test
  void theDriftMovesTheLogPriceAsConfigured() {
    Duration day = Duration.ofDays(1);
    SymbolModel model = new SymbolModel("DRIFT-USDT", 100, 0.5, 0, 0, 0, 0, 8, day);
    List<MarketEvent.Price> ticks = path(model, 1, 366);

    double growth = Math.log(ticks.get(365).price().doubleValue() / 100);

    assertThat(growth).isCloseTo(0.5, within(1e-6));
  }
}
