package io.navstream.simulator;

import io.navstream.fund.Decimals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/** One symbol's events in time order: its price ticks and, when enabled, its funding rates. */
final class SymbolPath {
  private static final double MS_PER_DAY = Duration.ofDays(1).toMillis();
  private static final double MS_PER_YEAR = 365 * MS_PER_DAY;
  private static final long NEVER = Long.MAX_VALUE;

  private final SymbolModel model;
  private final FundingModel funding;
  private final SplittableRandom priceRandom;
  private final SplittableRandom fundingRandom;
  private final long tickIntervalMs;
  private final double driftPerTick;
  private final double volatilityPerTick;
  private final double jumpsPerTick;
  private final BigDecimal minimumPrice;

  /** ln(P / startPrice) at the next tick. */
  private double logReturn;
  private long nextTickMs;
  private long nextFundingMs;

  SymbolPath(long masterSeed, Instant start, SymbolModel model, FundingModel fundingOrNull) {
    this.model = model;
    this.funding = fundingOrNull;
    this.priceRandom = RandomStreams.forSymbol(masterSeed, model.symbol(), RandomStreams.PRICE);
    this.fundingRandom = RandomStreams.forSymbol(masterSeed, model.symbol(), RandomStreams.FUNDING);
    this.tickIntervalMs = model.tickInterval().toMillis();
    double dtYears = tickIntervalMs / MS_PER_YEAR;
    double vol = model.annualVolatility();
    this.driftPerTick = (model.annualDrift() - vol * vol / 2) * dtYears;
    this.volatilityPerTick = vol * StrictMath.sqrt(dtYears);
    this.jumpsPerTick = model.jumpsPerDay() * tickIntervalMs / MS_PER_DAY;
    this.minimumPrice = BigDecimal.ONE.movePointLeft(model.priceDecimals());
    this.nextTickMs = start.toEpochMilli();
    if (fundingOrNull == null) {
      this.nextFundingMs = NEVER;
    } else {
      // The first multiple of the interval strictly after the start: with 8 h, 00:00/08:00/16:00
      // UTC. Strictly after, so that a fund never sees funding before its underlying's first price.
      long interval = fundingOrNull.interval().toMillis();
      this.nextFundingMs = Math.floorDiv(nextTickMs, interval) * interval + interval;
    }
  }

  String symbol() {
    return model.symbol();
  }

  /** The eventTime of the next event, in epoch ms. */
  long nextTimeMs() {
    return Math.min(nextTickMs, nextFundingMs);
  }

  /** The next event; at equal times funding comes first, as navstream processes it (rule 11). */
  MarketEvent next() {
    if (nextFundingMs <= nextTickMs) {
      MarketEvent event = new MarketEvent.Funding(
          model.symbol(), Instant.ofEpochMilli(nextFundingMs), nextFundingRate());
      nextFundingMs += funding.interval().toMillis();
      return event;
    }
    MarketEvent event =
        new MarketEvent.Price(model.symbol(), Instant.ofEpochMilli(nextTickMs), currentPrice());
    step();
    nextTickMs += tickIntervalMs;
    return event;
  }

  private void step() {
    // Always the same draws in the same order, whatever the values, so that the path depends only
    // on the seed and the model.
    logReturn += driftPerTick + volatilityPerTick * RandomStreams.normal(priceRandom);
    int jumps = RandomStreams.poisson(priceRandom, jumpsPerTick);
    for (int i = 0; i < jumps; i++) {
      logReturn += model.jumpLogMean() + model.jumpLogStdev() * RandomStreams.normal(priceRandom);
    }
  }

  private BigDecimal currentPrice() {
    double price = model.startPrice() * StrictMath.exp(logReturn);
    if (!(price <= SymbolModel.MAX_PRICE)) {
      price = SymbolModel.MAX_PRICE;
    }
    // valueOf goes through Double.toString, which is specified exactly; then one rounding to the
    // symbol's price step, and a price that rounds to zero is floored at one step.
    BigDecimal rounded =
        BigDecimal.valueOf(price).setScale(model.priceDecimals(), RoundingMode.HALF_EVEN);
    if (rounded.signum() <= 0) {
      rounded = minimumPrice;
    }
    return rounded.setScale(Decimals.SCALE);
  }

  private BigDecimal nextFundingRate() {
    double rate = funding.meanRate() + funding.rateStdev() * RandomStreams.normal(fundingRandom);
    rate = Math.max(-funding.maxAbsRate(), Math.min(funding.maxAbsRate(), rate));
    return BigDecimal.valueOf(rate)
        .setScale(FundingModel.RATE_DECIMALS, RoundingMode.HALF_EVEN)
        .setScale(Decimals.SCALE);
  }
}
