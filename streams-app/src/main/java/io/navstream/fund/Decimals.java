package io.navstream.fund;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The one arithmetic rule of navstream.
 *
 * <ul>
 *   <li>Every value that is stored or emitted has scale {@value #SCALE}, rounded {@link
 *       RoundingMode#HALF_EVEN}, at the moment it is computed. A restarted instance therefore reads
 *       back exactly the numbers an uninterrupted one holds in memory.
 *   <li>Sums, differences and products are exact ({@link BigDecimal} never rounds them).
 *   <li>Each derived value is a single quotient of exact terms, divided straight to scale 18
 *       ({@link #divide}); nothing is rounded twice.
 *   <li>Where a quotient must be carried unrounded into a comparison, it uses {@link #INTERMEDIATE}
 *       (50 significant digits, HALF_EVEN): more than the 38 digits any stored value can hold.
 * </ul>
 *
 * <p>Only values matter to these rules, never the scale an operand happens to carry, so hot paths
 * may compute with {@link #lean} operands: the same numbers with smaller integers inside.
 */
public final class Decimals {
  /** Scale of every stored or emitted decimal; matches the Avro {@code decimal(38, 18)} type. */
  public static final int SCALE = 18;

  public static final RoundingMode ROUNDING = RoundingMode.HALF_EVEN;

  /** For intermediate quotients only; never for a stored value. */
  public static final MathContext INTERMEDIATE = new MathContext(50, ROUNDING);

  public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);
  public static final BigDecimal ONE = BigDecimal.ONE.setScale(SCALE);

  /** Milliseconds in the day that management fees accrue over. */
  static final BigDecimal MILLIS_PER_DAY = BigDecimal.valueOf(86_400_000L);

  /** 10^k for k < 39, the powers a stored value can have as factors. */
  private static final BigInteger[] TEN_POWERS = new BigInteger[39];

  static {
    TEN_POWERS[0] = BigInteger.ONE;
    for (int k = 1; k < TEN_POWERS.length; k++) {
      TEN_POWERS[k] = TEN_POWERS[k - 1].multiply(BigInteger.TEN);
    }
  }

  private Decimals() {}

  /** Rounds to the stored scale. */
  public static BigDecimal round(BigDecimal value) {
    return value.setScale(SCALE, ROUNDING);
  }

  /** The same value at the stored scale when it has fewer decimals: exact, never rounds. */
  public static BigDecimal widen(BigDecimal value) {
    return value.scale() < SCALE ? value.setScale(SCALE) : value;
  }

  /** {@code numerator / denominator}, rounded once to the stored scale. */
  public static BigDecimal divide(BigDecimal numerator, BigDecimal denominator) {
    return numerator.divide(denominator, SCALE, ROUNDING);
  }

  /**
   * The same number without trailing zeros after the decimal point (it never lowers a scale below 0).
   * Stored values carry scale 18 whatever they need, so 99.9989 is held as the integer
   * 99998900000000000000 (beyond a long); lean, it is 999989 with scale 4. Products, sums and
   * quotients then work on small integers, often single longs, and their values are the same.
   *
   * <p>Faster than {@link BigDecimal#stripTrailingZeros()}, which divides by ten once per zero.
   */
  public static BigDecimal lean(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    int scale = value.scale();
    if (scale <= 0) {
      return value;
    }
    BigInteger unscaled = value.unscaledValue();
    // 10^k divides the unscaled value only if 2^k does: no more zeros than trailing zero bits.
    int most = Math.min(unscaled.getLowestSetBit(), Math.min(scale, TEN_POWERS.length - 1));
    if (most == 0) {
      return value;
    }
    if (unscaled.bitLength() < Long.SIZE) {
      long small = unscaled.longValue();
      int zeros = 0;
      while (zeros < most && small % 10 == 0) {
        small /= 10;
        zeros++;
      }
      return zeros == 0 ? value : BigDecimal.valueOf(small, scale - zeros);
    }
    if (unscaled.bitLength() <= 125) {
      return leanWide(value.signum() < 0, unscaled.abs(), scale, most);
    }
    // Divisibility by 10^k holds for every k up to the count of zeros: one division usually
    // settles it, else a binary search.
    BigInteger[] qr = unscaled.divideAndRemainder(TEN_POWERS[most]);
    if (qr[1].signum() == 0) {
      return new BigDecimal(qr[0], scale - most);
    }
    int low = 0;
    int high = most - 1;
    BigInteger quotient = unscaled;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      qr = unscaled.divideAndRemainder(TEN_POWERS[mid]);
      if (qr[1].signum() == 0) {
        low = mid;
        quotient = qr[0];
      } else {
        high = mid - 1;
      }
    }
    return low == 0 ? value : new BigDecimal(quotient, scale - low);
  }

  private static final long LOW_32 = 0xFFFF_FFFFL;

  /**
   * {@link #lean} of a magnitude below 2^125 (every stored value), as four 32-bit limbs divided
   * by 10^9 or 10 with long arithmetic: a few nanoseconds a step, where BigInteger divides by
   * 10^k with Knuth's algorithm and allocates as it goes.
   */
  private static BigDecimal leanWide(boolean negative, BigInteger magnitude, int scale, int most) {
    long lo = magnitude.longValue();
    long hi = magnitude.shiftRight(64).longValue();
    long[] limbs = {hi >>> 32, hi & LOW_32, lo >>> 32, lo & LOW_32}; // most significant first
    long[] trial = new long[4];
    int zeros = 0;
    for (long step : new long[] {1_000_000_000L, 10L}) {
      int digits = step == 10L ? 1 : 9;
      while (zeros + digits <= most) {
        System.arraycopy(limbs, 0, trial, 0, 4);
        if (divideLimbs(trial, step) != 0) {
          break;
        }
        System.arraycopy(trial, 0, limbs, 0, 4);
        zeros += digits;
      }
    }
    if (limbs[0] == 0 && limbs[1] == 0 && limbs[2] <= Integer.MAX_VALUE) {
      long small = limbs[2] << 32 | limbs[3];
      return BigDecimal.valueOf(negative ? -small : small, scale - zeros);
    }
    BigInteger quotient = BigInteger.valueOf(limbs[0] << 32 | limbs[1]).shiftLeft(64)
        .or(BigInteger.valueOf(limbs[2]).shiftLeft(32))
        .or(BigInteger.valueOf(limbs[3]));
    return new BigDecimal(negative ? quotient.negate() : quotient, scale - zeros);
  }

  /**
   * Divides the number in {@code limbs} (32 bits each, most significant first) by {@code divisor}
   * (below 2^30) in place and returns the remainder; {@code remainder << 32 | limb} fits a long.
   */
  private static long divideLimbs(long[] limbs, long divisor) {
    long remainder = 0;
    for (int i = 0; i < limbs.length; i++) {
      long current = remainder << 32 | limbs[i];
      limbs[i] = current / divisor;
      remainder = current % divisor;
    }
    return remainder;
  }

  /** Whether two values are numerically equal, whatever their scales. */
  public static boolean same(BigDecimal a, BigDecimal b) {
    return a.compareTo(b) == 0;
  }
}
