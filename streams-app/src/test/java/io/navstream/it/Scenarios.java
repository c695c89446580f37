package io.navstream.it;

import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The funds and price series the integration tests feed navstream. */
final class Scenarios {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final String BTC = "BTC-USDT";
  static final String ETH = "ETH-USDT";
  static final String SOL = "SOL-USDT";

  private Scenarios() {}

  static BigDecimal dec(String value) {
    return new BigDecimal(value).setScale(18, RoundingMode.UNNECESSARY);
  }

  static FundDefinition.Builder fund(String fundId, String underlying, Direction direction, String leverage) {
    return FundDefinition.newBuilder()
        .setFundId(fundId)
        .setUnderlying(underlying)
        .setDirection(direction)
        .setTargetLeverage(dec(leverage))
        .setInitialNav(dec("1"))
        .setInitialShares(dec("1"));
  }

  static Input.Price tick(String symbol, String price, Instant at) {
    return new Input.Price(new PriceTick(symbol, dec(price), at));
  }

  /** BTC 3L and 3S (thresholdMove 0.15, daily at 00:00 UTC) and an ETH 3L, defined at T0. */
  static List<Input.Definition> pipelineFunds() {
    return List.of(
        new Input.Definition(fund("BTC3L", BTC, Direction.LONG, "3")
            .setThresholdMove(dec("0.15")).setDailyRebalanceTime("00:00").build(), T0),
        new Input.Definition(fund("BTC3S", BTC, Direction.SHORT, "3")
            .setThresholdMove(dec("0.15")).setDailyRebalanceTime("00:00").build(), T0),
        new Input.Definition(fund("ETH3L", ETH, Direction.LONG, "3").build(), T0));
  }

  /**
   * Four simulated days: BTC every 2 hours, ETH every 3 hours, on a seeded wiggle; BTC jumps 18%
   * on day 1 (THRESHOLD for the short) and falls 20% on day 2 (THRESHOLD for the long); one BTC
   * tick of price 0 (INVALID_PRICE) and one ETH tick older than the one before it (LATE_INPUT).
   */
  static List<Input.Price> pipelinePrices() {
    Random random = new Random(20250101L);
    List<Input.Price> ticks = new ArrayList<>();
    double btc = 100;
    double eth = 50;
    for (int hour = 0; hour <= 4 * 24; hour++) {
      Instant at = T0.plus(Duration.ofHours(hour));
      if (hour % 2 == 0) {
        btc *= 1 + (random.nextDouble() - 0.5) * 0.02;
        if (hour == 36) {
          btc *= 1.18;
        } else if (hour == 60) {
          btc *= 0.80;
        }
        ticks.add(tick(BTC, price(btc), at));
      }
      if (hour % 3 == 0) {
        eth *= 1 + (random.nextDouble() - 0.5) * 0.03;
        ticks.add(tick(ETH, price(eth), at));
      }
      if (hour == 30) {
        ticks.add(tick(BTC, "0", at.plusSeconds(60)));
      }
      if (hour == 51) {
        ticks.add(tick(ETH, price(eth), at.minus(Duration.ofHours(2))));
      }
    }
    return ticks;
  }

  /**
   * Three funds on each underlying, chosen to rebalance often on a random walk: a 3L and a 3S with
   * a daily rebalance at 00:00 UTC and a 5% threshold (the short paying trading fees), and a 2L
   * kept in a 1.8–2.2 leverage band with half recentering, fees included.
   */
  static List<Input.Definition> busyFunds(List<String> underlyings) {
    List<Input.Definition> funds = new ArrayList<>();
    for (String u : underlyings) {
      String id = u.substring(0, u.indexOf('-'));
      funds.add(new Input.Definition(fund(id + "3L", u, Direction.LONG, "3")
          .setThresholdMove(dec("0.05")).setDailyRebalanceTime("00:00").build(), T0));
      funds.add(new Input.Definition(fund(id + "3S", u, Direction.SHORT, "3")
          .setThresholdMove(dec("0.05")).setDailyRebalanceTime("00:00")
          .setTradingFeeRate(dec("0.0005")).build(), T0));
      funds.add(new Input.Definition(fund(id + "2L", u, Direction.LONG, "2")
          .setMinLeverage(dec("1.8")).setMaxLeverage(dec("2.2")).setRecenteringSpeed(dec("0.5"))
          .setManagementFeeDaily(dec("0.0001")).setTradingFeeRate(dec("0.001")).build(), T0));
    }
    return funds;
  }

  /**
   * A seeded geometric random walk: {@code steps} rounds, each one tick per underlying (in the
   * given order) at the same eventTime, {@code spacing} apart from T0, with per-tick volatility
   * {@code volatility}. Prices start at 100 × (index + 1) and keep 4 decimals.
   */
  static List<Input.Price> randomWalk(
      long seed, List<String> underlyings, int steps, Duration spacing, double volatility) {
    Random random = new Random(seed);
    double[] prices = new double[underlyings.size()];
    for (int u = 0; u < prices.length; u++) {
      prices[u] = 100.0 * (u + 1);
    }
    List<Input.Price> ticks = new ArrayList<>(steps * underlyings.size());
    for (int step = 0; step < steps; step++) {
      Instant at = T0.plus(spacing.multipliedBy(step));
      for (int u = 0; u < prices.length; u++) {
        if (step > 0) {
          prices[u] *= Math.exp(random.nextGaussian() * volatility);
        }
        ticks.add(tick(underlyings.get(u), price(prices[u]), at));
      }
    }
    return ticks;
  }

  private static String price(double value) {
    return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
  }
}
