package io.navstream.fund;

import java.math.BigDecimal;

/**
 * A token's market price against its NAV: premium = marketPrice / nav − 1 (negative: a discount),
 * one quotient rounded once to the stored scale.
 *
 * @param premium marketPrice / nav − 1
 * @param alert whether |premium| is strictly above the threshold
 * @param threshold the threshold applied, or null for none (then never an alert)
 */
public record Premium(BigDecimal premium, boolean alert, BigDecimal threshold) {

  /**
   * @param fundThreshold the fund's own threshold, or null
   * @param globalThreshold the application's threshold, used when the fund has none; or null
   */
  public static Premium of(BigDecimal marketPrice, BigDecimal nav, BigDecimal fundThreshold,
      BigDecimal globalThreshold) {
    if (nav.signum() <= 0) {
      throw new IllegalArgumentException("NAV " + nav.toPlainString() + " is not positive");
    }
    BigDecimal premium = Decimals.divide(marketPrice.subtract(nav), nav);
    BigDecimal threshold = fundThreshold != null ? fundThreshold : globalThreshold;
    boolean alert = threshold != null && premium.abs().compareTo(threshold) > 0;
    return new Premium(premium, alert, threshold == null ? null : Decimals.round(threshold));
  }
}
