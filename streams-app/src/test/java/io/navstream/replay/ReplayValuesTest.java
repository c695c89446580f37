package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayValuesTest {

  @Test
  void decimalsAreExactAtScale18() {
    assertThat(ReplayValues.decimal("0.1").toPlainString()).isEqualTo("0.100000000000000000");
    assertThat(ReplayValues.decimal(" 146.41 ").toPlainString())
        .isEqualTo("146.410000000000000000");
    assertThat(ReplayValues.decimal("1e-18").toPlainString()).isEqualTo("0.000000000000000001");
    assertThat(ReplayValues.decimal("-3").toPlainString()).isEqualTo("-3.000000000000000000");
    // Eighteen significant decimals survive untouched (a double would not keep them).
    assertThat(ReplayValues.decimal("0.123456789012345678").toPlainString())
        .isEqualTo("0.123456789012345678");
  }

  @Test
  void trailingZerosBeyond18PlacesAreNotRounding() {
    assertThat(ReplayValues.decimal("1.50000000000000000000").toPlainString())
        .isEqualTo("1.500000000000000000");
  }

  @Test
  void moreThan18DecimalPlacesAreRejected() {
    assertThatThrownBy(() -> ReplayValues.decimal("0.1234567890123456789"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 18 decimal places");
  }

  @Test
  void valuesBeyondPrecision38AreRejected() {
    assertThat(ReplayValues.decimal("99999999999999999999")).isNotNull(); // 20 integer digits
    assertThatThrownBy(() -> ReplayValues.decimal("123456789012345678901"))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> ReplayValues.decimal("1e999999999")).hasMessageContaining("too large");
  }

  @Test
  void nonNumbersAreRejected() {
    assertThatThrownBy(() -> ReplayValues.decimal("abc")).hasMessageContaining("'abc'");
    assertThatThrownBy(() -> ReplayValues.decimal("")).hasMessageContaining("not a decimal");
    assertThatThrownBy(() -> ReplayValues.decimal("NaN")).hasMessageContaining("not a decimal");
  }

  @Test
  void timestampsAreIsoOrEpochMillis() {
    long midnight = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    assertThat(ReplayValues.timestamp("2025-01-01T00:00:00Z")).isEqualTo(midnight);
    assertThat(ReplayValues.timestamp("2025-01-01T02:00:00+02:00")).isEqualTo(midnight);
    assertThat(ReplayValues.timestamp("2024-12-31T19:00:00-05:00")).isEqualTo(midnight);
    assertThat(ReplayValues.timestamp(Long.toString(midnight))).isEqualTo(midnight);
    assertThat(ReplayValues.timestamp("2025-01-01T00:00:00.250Z")).isEqualTo(midnight + 250);
    assertThat(ReplayValues.timestamp("0")).isZero();
  }

  @Test
  void theFastUtcPathAgreesWithTheGeneralParser() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      Instant t = Instant.ofEpochMilli(random.nextLong(0, 250_000_000_000_000L));
      String text = t.toString(); // yyyy-MM-ddTHH:mm:ss[.SSS]Z, as the fast path expects
      assertThat(ReplayValues.timestamp(text)).as(text).isEqualTo(t.toEpochMilli());
    }
    long midnight = Instant.parse("2024-02-29T00:00:00Z").toEpochMilli();
    assertThat(ReplayValues.timestamp("2024-02-29T00:00:00.1Z")).isEqualTo(midnight + 100);
    assertThat(ReplayValues.timestamp("2024-02-29T00:00:00.123456789Z")).isEqualTo(midnight + 123);
    assertThat(ReplayValues.timestamp("2024-02-29T00:00Z")).as("no seconds").isEqualTo(midnight);
  }

  @Test
  void badTimestampsAreRejected() {
    assertThatThrownBy(() -> ReplayValues.timestamp("2025-02-29T00:00:00Z"))
        .hasMessageContaining("not a timestamp");
    assertThatThrownBy(() -> ReplayValues.timestamp("2025-01-01T24:00:00Z"))
        .hasMessageContaining("not a timestamp");
    assertThatThrownBy(() -> ReplayValues.timestamp("2025-13-01T00:00:00Z"))
        .hasMessageContaining("not a timestamp");
    assertThatThrownBy(() -> ReplayValues.timestamp("2025-01-01T00:00:00.1234567890Z"))
        .hasMessageContaining("not a timestamp");
    assertThatThrownBy(() -> ReplayValues.timestamp("2025-01-01"))
        .hasMessageContaining("not a timestamp");
    assertThatThrownBy(() -> ReplayValues.timestamp("2025-01-01T00:00:00"))
        .as("no offset: ambiguous")
        .hasMessageContaining("not a timestamp");
    assertThatThrownBy(() -> ReplayValues.timestamp("yesterday")).hasMessageContaining("yesterday");
    assertThatThrownBy(() -> ReplayValues.timestamp("99999999999999999999"))
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> ReplayValues.timestamp("-1"))
        .hasMessageContaining("cannot be negative");
    assertThatThrownBy(() -> ReplayValues.timestamp("1969-12-31T23:59:59Z"))
        .hasMessageContaining("cannot be negative");
  }

  @Test
  void toContractScaleKeepsTheValue() {
    BigDecimal v = ReplayValues.toContractScale(new BigDecimal("2.8561"), "2.8561");
    assertThat(v.scale()).isEqualTo(18);
    assertThat(v).isEqualByComparingTo("2.8561");
  }
}
