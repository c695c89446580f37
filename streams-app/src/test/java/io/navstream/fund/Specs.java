package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;

/** Builds fund definitions for tests, with sensible defaults and one-line overrides. */
final class Specs {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private Specs() {}

  static FundSpec.Draft draft(String fundId, String direction, String leverage) {
    return new FundSpec.Draft(fundId, "BTC-USDT", direction, dec(leverage), dec("1"), dec("1"),
        null, null, null, null, null, null, null, null, null);
  }

  static FundSpec spec(FundSpec.Draft draft) {
    return FundSpec.validate(draft, T0);
  }

  static BigDecimal dec(String value) {
    return value == null ? null : new BigDecimal(value).setScale(Decimals.SCALE);
  }

  static Builder fund(String fundId, String direction, String leverage) {
    return new Builder(fundId, direction, leverage);
  }

  static final class Builder {
    private String fundId;
    private String underlying = "BTC-USDT";
    private String direction;
    private String leverage;
    private String nav = "1";
    private String shares = "1";
    private Instant effective;
    private String daily;
    private String zone;
    private String threshold;
    private String min;
    private String max;
    private String speed;
    private String mgmt;
    private String fee;
    private String creationFee;
    private String redemptionFee;
    private Integer blackoutMinutes;
    private NavPolicy navPolicy;
    private String premiumAlert;

    Builder(String fundId, String direction, String leverage) {
      this.fundId = fundId;
      this.direction = direction;
      this.leverage = leverage;
    }

    Builder underlying(String v) { underlying = v; return this; }
    Builder nav(String v) { nav = v; return this; }
    Builder shares(String v) { shares = v; return this; }
    Builder effective(Instant v) { effective = v; return this; }
    Builder daily(String v) { daily = v; return this; }
    Builder zone(String v) { zone = v; return this; }
    Builder threshold(String v) { threshold = v; return this; }
    Builder band(String lo, String hi) { min = lo; max = hi; return this; }
    Builder speed(String v) { speed = v; return this; }
    Builder managementFee(String v) { mgmt = v; return this; }
    Builder tradingFee(String v) { fee = v; return this; }
    Builder leverage(String v) { leverage = v; return this; }
    Builder direction(String v) { direction = v; return this; }
    Builder creationFee(String v) { creationFee = v; return this; }
    Builder redemptionFee(String v) { redemptionFee = v; return this; }
    Builder flowBlackoutMinutes(Integer v) { blackoutMinutes = v; return this; }
    Builder navPolicy(String minNav, String maxNav) {
      navPolicy = new NavPolicy(dec(minNav), dec(maxNav), null);
      return this;
    }
    Builder premiumAlert(String v) { premiumAlert = v; return this; }

    FundSpec.Draft draft() {
      return new FundSpec.Draft(fundId, underlying, direction, dec(leverage), dec(nav), dec(shares),
          effective, daily, zone, dec(threshold), dec(min), dec(max), dec(speed), dec(mgmt), dec(fee),
          dec(creationFee), dec(redemptionFee), blackoutMinutes, navPolicy, dec(premiumAlert));
    }

    FundSpec spec() {
      return FundSpec.validate(draft(), T0);
    }

    /** A defined fund, waiting for its first price. */
    FundBook pending() {
      return FundBook.pending(spec(), T0);
    }
  }
}
