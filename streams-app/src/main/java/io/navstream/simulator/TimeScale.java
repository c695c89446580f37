package io.navstream.simulator;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Time compression: how much wall-clock time one simulated day takes. {@code PT24H} is real time;
 * {@code PT2M} runs 720 simulated seconds per wall second, so the daily 00:00 UTC rebalance comes
 * round every two minutes of a demo.
 *
 * <p>Conversions are exact integer arithmetic on nanoseconds (no drift over long runs): wall to
 * simulated rounds down, simulated to wall rounds up, so an event is due at the wall time {@link
 * #toWall} gives for it.
 *
 * @param dayLength wall-clock time of one simulated day, at least 1 ms
 */
public record TimeScale(Duration dayLength) {
  private static final BigInteger DAY_NANOS = BigInteger.valueOf(Duration.ofDays(1).toNanos());
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  public TimeScale {
    Objects.requireNonNull(dayLength, "dayLength");
    if (dayLength.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException("day length " + dayLength + " must be at least 1 ms");
    }
  }

  public static TimeScale realTime() {
    return new TimeScale(Duration.ofDays(1));
  }

  /** Simulated seconds per wall second (720 for a day length of PT2M); for display. */
  public double speedUp() {
    return Duration.ofDays(1).toNanos() / (double) dayLength.toNanos();
  }

  /** The simulated time that passes during {@code wall}, rounded down to the nanosecond. */
  public Duration toSimulated(Duration wall) {
    requireNotNegative(wall);
    return fromNanos(nanos(wall).multiply(DAY_NANOS).divide(nanos(dayLength)));
  }

  /** The wall time during which {@code simulated} passes, rounded up to the nanosecond. */
  public Duration toWall(Duration simulated) {
    requireNotNegative(simulated);
    BigInteger[] qr = nanos(simulated).multiply(nanos(dayLength)).divideAndRemainder(DAY_NANOS);
    return fromNanos(qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE));
  }

  /**
   * The simulated tick interval that gives {@code ticksPerWallSecond} ticks per wall second, to the
   * millisecond (eventTime's resolution).
   *
   * @throws IllegalArgumentException when that is less than 1 ms of simulated time
   */
  public Duration tickInterval(double ticksPerWallSecond) {
    if (!(ticksPerWallSecond > 0) || Double.isInfinite(ticksPerWallSecond)) {
      throw new IllegalArgumentException("rate " + ticksPerWallSecond + " must be positive");
    }
    double simulatedMsPerWallSecond = toSimulated(Duration.ofSeconds(1)).toNanos() / 1e6;
    long ms = Math.round(simulatedMsPerWallSecond / ticksPerWallSecond);
    if (ms < 1) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s ticks per second with a day length of %s would tick more often than every simulated"
              + " millisecond; lower the rate or lengthen the day",
          ticksPerWallSecond, dayLength));
    }
    return Duration.ofMillis(ms);
  }

  private static void requireNotNegative(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("duration " + d + " is negative");
    }
  }

  private static BigInteger nanos(Duration d) {
    return BigInteger.valueOf(d.getSeconds()).multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(d.getNano()));
  }

  private static Duration fromNanos(BigInteger nanos) {
    BigInteger[] qr = nanos.divideAndRemainder(NANOS_PER_SECOND);
    return Duration.ofSeconds(qr[0].longValueExact(), qr[1].longValue());
  }
}
