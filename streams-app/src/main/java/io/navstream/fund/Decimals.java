package io.navstream.fund;

import java.math.BigDecimal;
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

  private Decimals() {}

  /** Rounds to the stored scale. */
  public static BigDecimal round(BigDecimal value) {
    return value.setScale(SCALE, ROUNDING);
  }

  /** {@code numerator / denominator}, rounded once to the stored scale. */
  public static BigDecimal divide(BigDecimal numerator, BigDecimal denominator) {
    return numerator.divide(denominator, SCALE, ROUNDING);
  }

  /** Whether two values are numerically equal, whatever their scales. */
  public static boolean same(BigDecimal a, BigDecimal b) {
    return a.compareTo(b) == 0;
  }
}
