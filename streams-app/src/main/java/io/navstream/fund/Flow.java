package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A creation or redemption request.
 *
 * @param amount CREATE: quote currency; REDEEM: shares
 * @param eventTime the flow is priced at the first tick of the underlying at or after it
 */
public record Flow(String requestId, String fundId, FlowType type, BigDecimal amount, Instant eventTime) {
  public Flow {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(fundId, "fundId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(eventTime, "eventTime");
  }

  /** The same request with another amount (a redemption's shares after a split or merge). */
  Flow withAmount(BigDecimal newAmount) {
    return new Flow(requestId, fundId, type, newAmount, eventTime);
  }
}
