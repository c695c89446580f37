package io.navstream.fund;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a fund's shares split or merge (at a DAILY, THRESHOLD or BAND rebalance only).
 *
 * <p>Below {@code minNav} the shares merge by the smallest allowed factor that brings NAV to at
 * least minNav; above {@code maxNav} they split by the smallest factor that brings it to at most
 * maxNav. When no factor is enough, the largest one is used. NAV exactly at a bound does not move.
 * Factors are powers of ten, so the adjustment factor and the share count stay exact decimals.
 *
 * @param minNav merge below it, or null for never
 * @param maxNav split above it, or null for never
 * @param factors the allowed ratios, ascending, each one of 10, 100, 1000, 10000
 */
public record NavPolicy(BigDecimal minNav, BigDecimal maxNav, List<Integer> factors) {
  /** The ratios the policy may use. */
  public static final List<Integer> STANDARD_FACTORS = List.of(10, 100, 1_000, 10_000);

  public NavPolicy {
    factors = factors == null || factors.isEmpty()
        ? STANDARD_FACTORS
        : factors.stream().sorted().distinct().toList();
  }

  /** What is wrong with this policy, or nothing. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (minNav != null && minNav.signum() <= 0) {
      problems.add("navPolicy.minNav " + plain(minNav) + " is not positive");
    }
    if (maxNav != null && maxNav.signum() <= 0) {
      problems.add("navPolicy.maxNav " + plain(maxNav) + " is not positive");
    }
    if (minNav != null && maxNav != null && minNav.compareTo(maxNav) >= 0) {
      problems.add("navPolicy.minNav " + plain(minNav) + " is not below maxNav "
          + plain(maxNav));
    }
    for (Integer f : factors) {
      if (f == null || !STANDARD_FACTORS.contains(f)) {
        problems.add("navPolicy factor " + f + " is not one of " + STANDARD_FACTORS);
      }
    }
    return problems;
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  /** The split or merge a fund at {@code nav} needs, or empty when NAV is within bounds. */
  public Optional<Choice> choose(BigDecimal nav) {
    if (minNav != null && nav.compareTo(minNav) < 0) {
      for (int f : factors) {
        if (nav.multiply(BigDecimal.valueOf(f)).compareTo(minNav) >= 0) {
          return Optional.of(new Choice(CorporateAction.Type.MERGE, f));
        }
      }
      return Optional.of(new Choice(CorporateAction.Type.MERGE, factors.get(factors.size() - 1)));
    }
    if (maxNav != null && nav.compareTo(maxNav) > 0) {
      for (int f : factors) {
        // nav / f <= maxNav, compared exactly as nav <= maxNav * f
        if (nav.compareTo(maxNav.multiply(BigDecimal.valueOf(f))) <= 0) {
          return Optional.of(new Choice(CorporateAction.Type.SPLIT, f));
        }
      }
      return Optional.of(new Choice(CorporateAction.Type.SPLIT, factors.get(factors.size() - 1)));
    }
    return Optional.empty();
  }

  /** A split or merge and its ratio. */
  public record Choice(CorporateAction.Type type, int ratio) {}
}
