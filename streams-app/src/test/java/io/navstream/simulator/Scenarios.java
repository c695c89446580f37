package io.navstream.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Scenarios shared by the simulator tests. */
final class Scenarios {
  static final Instant MIDNIGHT = Instant.parse("2025-01-01T00:00:00Z");
  /** The tick interval of the demo: 10 ticks per wall second with a day length of PT2M. */
  static final Duration DEMO_INTERVAL = Duration.ofSeconds(72);

  private Scenarios() {}

  /** BTC, ETH and SOL at their presets, with funding. */
  static Scenario demo(long seed, Instant start, Duration interval) {
    List<SymbolModel> symbols =
        SymbolModel.DEMO_SYMBOLS.stream().map(s -> SymbolModel.of(s, interval)).toList();
    return new Scenario(seed, start, symbols, FundingModel.defaults());
  }

  static Scenario demo(long seed) {
    return demo(seed, MIDNIGHT, DEMO_INTERVAL);
  }

  static List<MarketEvent.Price> prices(List<MarketEvent> events, String symbol) {
    return events.stream()
        .filter(e -> e instanceof MarketEvent.Price && e.symbol().equals(symbol))
        .map(e -> (MarketEvent.Price) e)
        .toList();
  }

  static List<MarketEvent.Funding> fundings(List<MarketEvent> events) {
    return events.stream()
        .filter(e -> e instanceof MarketEvent.Funding)
        .map(e -> (MarketEvent.Funding) e)
        .toList();
  }

  /** The log returns between consecutive prices. */
  static double[] logReturns(List<MarketEvent.Price> prices) {
    double[] r = new double[prices.size() - 1];
    for (int i = 1; i < prices.size(); i++) {
      r[i - 1] = Math.log(prices.get(i).price().doubleValue() / prices.get(i - 1).price().doubleValue());
    }
    return r;
  }

  static double stdev(double[] values) {
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= values.length;
    double sq = 0;
    for (double v : values) {
      sq += (v - mean) * (v - mean);
    }
    return Math.sqrt(sq / (values.length - 1));
  }
}
