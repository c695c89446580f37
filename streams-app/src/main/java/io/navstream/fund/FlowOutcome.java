package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The answer to a flow: accepted with what it minted or burned, or rejected with a reason.
 *
 * @param amount the request's amount
 * @param shares shares minted (CREATE) or burned (REDEEM); null when rejected
 * @param nav the NAV it was priced at; null when rejected
 * @param fee the creation or redemption fee in quote currency; null when rejected
 * @param cash quote currency added to the fund (CREATE, net of fee) or paid out (REDEEM, net of
 *     fee); null when rejected
 * @param rejection why it was rejected, or null
 * @param message the rejection in words, or null
 * @param time when it was priced or rejected
 */
public record FlowOutcome(
    String requestId,
    String fundId,
    FlowType type,
    BigDecimal amount,
    BigDecimal shares,
    BigDecimal nav,
    BigDecimal fee,
    BigDecimal cash,
    Rejection rejection,
    String message,
    Instant time) {

  public boolean accepted() {
    return rejection == null;
  }

  static FlowOutcome rejected(Flow flow, Rejection rejection, String message, Instant time) {
    return new FlowOutcome(flow.requestId(), flow.fundId(), flow.type(), flow.amount(), null, null,
        null, null, rejection, message, time);
  }

  /** Why a flow was refused; the names are the wire's reason codes. */
  public enum Rejection {
    /** No fund with that id was ever defined. */
    UNKNOWN_FUND,
    /** The fund is retiring, retired or depleted. */
    FUND_CLOSED,
    /** The fund has not incepted: it has no price and so no NAV. */
    NO_PRICE,
    NON_POSITIVE_AMOUNT,
    /** A redemption of at least every outstanding share. */
    EXCEEDS_OUTSTANDING,
    /** Inside the fund's blackout window around its daily rebalance. */
    BLACKOUT,
    /** Missing fields or an unknown type. */
    MALFORMED
  }
}
