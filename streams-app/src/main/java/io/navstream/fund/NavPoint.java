package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A fund's NAV after one input.
 *
 * @param adjustmentFactor original shares per share now (see {@link FundBook#adjustmentFactor()})
 */
public record NavPoint(
    String fundId,
    String underlying,
    Instant time,
    BigDecimal price,
    BigDecimal nav,
    BigDecimal leverage,
    BigDecimal equity,
    BigDecimal shares,
    BigDecimal quantity,
    BigDecimal cash,
    FundStatus status,
    BigDecimal adjustmentFactor) {

  /** The value of one original share, nav / adjustmentFactor: continuous through splits and merges. */
  public BigDecimal adjustedNav() {
    return Decimals.divide(nav, adjustmentFactor);
  }
}
