package io.navstream.fund;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalsTest {
  /** What lean promises: stripTrailingZeros, but it never takes a scale below 0. */
  private static BigDecimal expectedLean(BigDecimal v) {
    if (v.scale() < 0) {
      return v;
    }
    BigDecimal stripped = v.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0.000000000000000000", "100", "1E+3", "-0.5", "99.998900000000000000",
      "1000000.000000000000000000", "0.000000000000000001", "-20000000.000000000000000000",
      "300003.300036300399304392", "99.993600000000000000", "4096.000000000000000000",
      "12345678901234567890.123456789012345678", "-99999999999999999999.999999999999999999",
      "0.1000000000000000000000000", "7"})
  void leanIsTheSameNumberWithoutTrailingZeros(String text) {
    BigDecimal v = new BigDecimal(text);
    BigDecimal lean = Decimals.lean(v);
    assertThat(lean).isEqualByComparingTo(v);
    assertThat(lean.scale()).isEqualTo(expectedLean(v).scale());
  }

  @Test
  void leanMatchesStripTrailingZerosOnRandomStoredValues() {
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      // Few significant decimals padded to scale 18, many factors of two, or anything at all.
      BigInteger unscaled = new BigInteger(1 + random.nextInt(126), random);
      int shift = random.nextInt(20);
      unscaled = switch (i % 3) {
        case 0 -> unscaled.multiply(BigInteger.TEN.pow(shift));
        case 1 -> unscaled.shiftLeft(shift);
        default -> unscaled;
      };
      BigDecimal v = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), 18);
      BigDecimal lean = Decimals.lean(v);
      assertThat(lean).isEqualByComparingTo(v);
      assertThat(lean.scale()).as("scale of lean %s", v).isEqualTo(expectedLean(v).scale());
    }
  }

  @Test
  void widenPadsToTheStoredScaleAndNeverRounds() {
    assertThat(Decimals.widen(new BigDecimal("99.9989"))).isEqualTo(new BigDecimal("99.998900000000000000"));
    BigDecimal finer = new BigDecimal("1.0000000000000000001");
    assertThat(Decimals.widen(finer)).isSameAs(finer);
  }
}
