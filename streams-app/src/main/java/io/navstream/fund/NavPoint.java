package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;

/** A fund's NAV after one input. */
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
    FundStatus status) {}
