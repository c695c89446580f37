package io.navstream.fund;

import java.math.BigDecimal;

/** Which way a fund tracks its underlying. */
public enum Direction {
  LONG(BigDecimal.ONE),
  SHORT(BigDecimal.ONE.negate());

  private final BigDecimal sign;

  Direction(BigDecimal sign) {
    this.sign = sign;
  }

  /** s in the formulas: +1 for a long, -1 for a short. */
  public BigDecimal sign() {
    return sign;
  }
}
