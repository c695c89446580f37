package io.navstream.fund;

import static io.navstream.fund.Specs.T0;
import static io.navstream.fund.Specs.dec;
import static io.navstream.fund.Specs.fund;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The band rule compares the leverage rounded to 12 decimals with the bounds; the implementation
 * decides from the leverage at 18 decimals unless that lies within 10^-12 of a bound. Checks both
 * against the rule itself, with leverages placed right around the bounds.
 */
class BandTriggerTest {
  private static final Instant LATER = T0.plusSeconds(60);

  /** The band rule as written: |q|·P/E rounded to 12 decimals, outside [min, max]. */
  private static boolean ruleSaysBand(FundBook book, BigDecimal price, BigDecimal equity) {
    BigDecimal lev = book.quantity().abs().multiply(price).divide(equity, 12, RoundingMode.HALF_EVEN);
    return lev.compareTo(book.spec().minLeverage()) < 0 || lev.compareTo(book.spec().maxLeverage()) > 0;
  }

  @Test
  void leveragesAroundTheBoundsTriggerExactlyAsTheRuleSays() {
    for (String direction : new String[] {"LONG", "SHORT"}) {
      FundBook book = Fund.onPrice(
          fund("B", direction, "3").band("2.5", "3.5").nav("10").shares("1000").pending(),
          dec("97.31"), T0).book();
      Random random = new Random(7);
      int bands = 0;
      for (int i = 0; i < 20_000; i++) {
        BigDecimal bound = random.nextBoolean() ? dec("2.5") : dec("3.5");
        // Offsets from a bound: within a few units of 10^-12 and of 10^-18 of it, and ties.
        BigDecimal offset = switch (i % 4) {
          case 0 -> BigDecimal.valueOf(random.nextInt(4001) - 2000, 15); // ±2·10^-12
          case 1 -> new BigDecimal("0.0000000000005").add(BigDecimal.valueOf(random.nextInt(21) - 10, 18))
              .multiply(BigDecimal.valueOf(random.nextBoolean() ? 1 : -1));
          case 2 -> BigDecimal.valueOf(random.nextInt(21) - 10, 18).add(BigDecimal.valueOf(random.nextInt(3) - 1, 12));
          default -> BigDecimal.valueOf(random.nextInt(2001) - 1000, 4);
        };
        BigDecimal price = dec("97.31").add(BigDecimal.valueOf(random.nextInt(1_000_000), 6));
        BigDecimal target = bound.add(offset);
        BigDecimal exposure = book.quantity().abs().multiply(price);
        BigDecimal equity = exposure.divide(target, MathContext.DECIMAL128).setScale(18, RoundingMode.HALF_EVEN);
        boolean expected = ruleSaysBand(book, price, equity);
        bands += expected ? 1 : 0;
        assertThat(Fund.trigger(book, price, LATER, equity) == RebalanceReason.BAND)
            .as("%s at price %s, equity %s (leverage near %s)", direction, price, equity, target)
            .isEqualTo(expected);
      }
      assertThat(bands).isBetween(5_000, 15_000); // both outcomes well covered
    }
  }
}
