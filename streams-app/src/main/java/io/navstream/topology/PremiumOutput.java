package io.navstream.topology;

import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.TokenPrice;
import java.math.BigDecimal;

/** The premium sub-topology's values between its processors. Never serialized. */
sealed interface PremiumOutput {
  /** A token price that passed the checks, to be joined. */
  record Valid(TokenPrice price) implements PremiumOutput {}

  /**
   * A token price with the NAV update in force at its time, as the bytes of nav-updates (null when
   * there was none), and, once joined with the fund's definition, its own alert threshold (null:
   * none).
   */
  record Joined(TokenPrice price, byte[] nav, BigDecimal fundThreshold) implements PremiumOutput {
    Joined withThreshold(BigDecimal threshold) {
      return new Joined(price, nav, threshold);
    }
  }

  record Result(PremiumDiscount premium) implements PremiumOutput {}

  record Rejected(BookOutput.DeadLetter deadLetter) implements PremiumOutput {}
}
