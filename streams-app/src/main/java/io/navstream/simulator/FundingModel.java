package io.navstream.simulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Funding-rate events of perpetual futures: one per symbol at every multiple of {@code interval}
 * since the epoch (every 8 hours: 00:00, 08:00 and 16:00 UTC), with a rate drawn from
 * N(meanRate, rateStdev²), clamped to ±maxAbsRate and rounded to {@value #RATE_DECIMALS} decimals
 * like exchanges publish it.
 *
 * @param interval a whole number of milliseconds that divides a day, so events land at the same
 *     UTC times every day
 */
public record FundingModel(Duration interval, double meanRate, double rateStdev, double maxAbsRate) {

  /** Decimals of a published rate (exchanges show 0.01000000%, i.e. 8 decimals of the fraction). */
  public static final int RATE_DECIMALS = 8;

  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  public FundingModel {
    Objects.requireNonNull(interval, "interval");
    long ms = interval.toMillis();
    if (ms <= 0 || interval.toNanosPart() % 1_000_000 != 0 || DAY_MS % ms != 0) {
      throw new IllegalArgumentException(
          "funding interval " + interval + " must be a whole number of ms that divides a day");
    }
    if (!(maxAbsRate > 0 && maxAbsRate < 1)) {
      throw new IllegalArgumentException("maxAbsRate " + maxAbsRate + " must be in (0, 1)");
    }
    if (!(Math.abs(meanRate) <= maxAbsRate)) {
      throw new IllegalArgumentException(
          "meanRate " + meanRate + " must be within ±maxAbsRate " + maxAbsRate);
    }
    if (!(rateStdev >= 0 && rateStdev < 1)) {
      throw new IllegalArgumentException("rateStdev " + rateStdev + " must be in [0, 1)");
    }
  }

  /**
   * Every 8 hours, around the usual 0.01% (longs pay shorts), negative about one time in six, capped
   * at ±0.3% like the major exchanges' caps.
   */
  public static FundingModel defaults() {
    return new FundingModel(Duration.ofHours(8), 0.0001, 0.0001, 0.003);
  }
}
