package io.navstream.query;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.NavCandle;
import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.topology.FundViews.FundView;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON shapes of the API. Decimals are strings ({@code toPlainString()}), times ISO-8601. */
final class Json {
  private Json() {}

  static String dec(BigDecimal v) {
    return v == null ? null : v.toPlainString();
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  static Object pct(BigDecimal target, BigDecimal price) {
    if (target == null || price == null || price.signum() == 0) {
      return null;
    }
    return target.subtract(price).multiply(BigDecimal.valueOf(100))
        .divide(price, 6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }

  /** The row of {@code GET /funds}. */
  static Map<String, Object> summary(FundView v, Instant now, Duration overdueAfter) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fundId", v.fundId());
    m.put("underlying", v.underlying());
    m.put("status", v.status().name());
    m.put("nav", dec(v.nav()));
    m.put("equity", dec(v.equity()));
    m.put("leverage", dec(v.leverage()));
    m.put("price", dec(v.price()));
    m.put("eventTime", time(v.valuedAt()));
    m.put("lastRebalancePrice", dec(v.lastRebalancePrice()));
    m.put("lastRebalanceTime", time(v.lastRebalanceTime()));
    m.put("nextScheduledRebalance", time(v.nextScheduledRebalance()));
    m.put("rebalancesPaused", v.rebalancesPaused());
    m.put("targetLeverage", dec(v.targetLeverage()));
    m.put("minLeverage", dec(v.minLeverage()));
    m.put("maxLeverage", dec(v.maxLeverage()));
    m.put("thresholdMove", dec(v.thresholdMove()));
    long overdue = overdueSeconds(v, now, overdueAfter);
    m.put("overdue", overdue >= 0);
    m.put("overdueSeconds", overdue >= 0 ? overdue : null);
    return m;
  }

  /**
   * Seconds past the next scheduled rebalance when that is more than {@code overdueAfter} ago on
   * the wall clock (the one place the wall clock matters); -1 when not overdue.
   */
  static long overdueSeconds(FundView v, Instant now, Duration overdueAfter) {
    Instant next = v.nextScheduledRebalance();
    boolean live = v.status() == io.navstream.fund.FundStatus.ACTIVE
        || v.status() == io.navstream.fund.FundStatus.RETIRING;
    // A paused fund's schedule waits on purpose (an operator's PAUSE), not on a missing tick.
    if (next == null || !live || v.rebalancesPaused() || !now.isAfter(next.plus(overdueAfter))) {
      return -1;
    }
    return Duration.between(next, now).toSeconds();
  }

  /** {@code GET /funds/{id}}. */
  static Map<String, Object> detail(FundView v, Instant now, Duration overdueAfter) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fundId", v.fundId());
    m.put("underlying", v.underlying());
    m.put("status", v.status().name());
    m.put("definition", definition(v.definition()));
    Map<String, Object> book = new LinkedHashMap<>();
    book.put("shares", dec(v.shares()));
    book.put("positionQuantity", dec(v.positionQuantity()));
    book.put("cash", dec(v.cash()));
    book.put("rebalanceSequence", v.rebalanceSequence());
    book.put("updatedAt", time(v.bookUpdatedAt()));
    m.put("book", book);
    Map<String, Object> live = new LinkedHashMap<>();
    live.put("price", dec(v.price()));
    live.put("eventTime", time(v.valuedAt()));
    live.put("nav", dec(v.nav()));
    live.put("equity", dec(v.equity()));
    live.put("leverage", dec(v.leverage()));
    live.put("accruedManagementFee", dec(v.accruedManagementFee()));
    m.put("live", live);
    m.put("lastRebalancePrice", dec(v.lastRebalancePrice()));
    m.put("lastRebalanceTime", time(v.lastRebalanceTime()));
    m.put("nextScheduledRebalance", time(v.nextScheduledRebalance()));
    m.put("rebalancesPaused", v.rebalancesPaused());
    long overdue = overdueSeconds(v, now, overdueAfter);
    m.put("overdue", overdue >= 0);
    Map<String, Object> triggers = new LinkedHashMap<>();
    triggers.put("threshold", trigger(v.thresholdPrice(), v.price(), v.thresholdMove()));
    triggers.put("leverageMin", trigger(v.leverageMinPrice(), v.price(), v.minLeverage()));
    triggers.put("leverageMax", trigger(v.leverageMaxPrice(), v.price(), v.maxLeverage()));
    m.put("triggers", triggers);
    return m;
  }

  private static Map<String, Object> trigger(BigDecimal at, BigDecimal price, BigDecimal bound) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("bound", dec(bound));
    t.put("price", dec(at));
    t.put("distancePct", pct(at, price));
    return t;
  }

  static Map<String, Object> definition(FundDefinition d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fundId", d.getFundId());
    m.put("underlying", d.getUnderlying());
    m.put("direction", d.getDirection() == null ? null : d.getDirection().name());
    m.put("targetLeverage", dec(d.getTargetLeverage()));
    m.put("initialNav", dec(d.getInitialNav()));
    m.put("initialShares", dec(d.getInitialShares()));
    m.put("effectiveTime", time(d.getEffectiveTime()));
    m.put("dailyRebalanceTime", d.getDailyRebalanceTime());
    m.put("rebalanceTimeZone", d.getRebalanceTimeZone());
    m.put("thresholdMove", dec(d.getThresholdMove()));
    m.put("minLeverage", dec(d.getMinLeverage()));
    m.put("maxLeverage", dec(d.getMaxLeverage()));
    m.put("recenteringSpeed", dec(d.getRecenteringSpeed()));
    m.put("managementFeeDaily", dec(d.getManagementFeeDaily()));
    m.put("tradingFeeRate", dec(d.getTradingFeeRate()));
    // Fund-lifecycle settings, only when set.
    putIfSet(m, "creationFee", dec(d.getCreationFee()));
    putIfSet(m, "redemptionFee", dec(d.getRedemptionFee()));
    putIfSet(m, "flowBlackoutMinutes", d.getFlowBlackoutMinutes());
    if (d.getNavPolicy() != null) {
      Map<String, Object> policy = new LinkedHashMap<>();
      policy.put("minNav", dec(d.getNavPolicy().getMinNav()));
      policy.put("maxNav", dec(d.getNavPolicy().getMaxNav()));
      policy.put("factors", d.getNavPolicy().getFactors());
      m.put("navPolicy", policy);
    }
    putIfSet(m, "premiumAlertThreshold", dec(d.getPremiumAlertThreshold()));
    return m;
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  static Map<String, Object> instruction(RebalanceInstruction r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instructionId", r.getInstructionId());
    m.put("sequence", r.getSequence());
    m.put("eventTime", time(r.getEventTime()));
    m.put("reason", r.getReason().name());
    m.put("price", dec(r.getPrice()));
    m.put("navBefore", dec(r.getNavBefore()));
    m.put("leverageBefore", dec(r.getLeverageBefore()));
    m.put("leverageAfter", dec(r.getLeverageAfter()));
    m.put("fromQuantity", dec(r.getFromQuantity()));
    m.put("toQuantity", dec(r.getToQuantity()));
    m.put("deltaQuantity", dec(r.getDeltaQuantity()));
    m.put("side", r.getSide().name());
    m.put("notional", dec(r.getNotional()));
    m.put("tradingFee", dec(r.getTradingFee()));
    return m;
  }

  static Map<String, Object> premium(PremiumDiscount p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fundId", p.getFundId());
    m.put("eventTime", time(p.getEventTime()));
    m.put("marketPrice", dec(p.getMarketPrice()));
    m.put("nav", dec(p.getNav()));
    m.put("navTime", time(p.getNavTime()));
    m.put("premium", dec(p.getPremium()));
    m.put("alert", p.getAlert());
    m.put("threshold", dec(p.getThreshold()));
    return m;
  }

  static Map<String, Object> candle(NavCandle c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", time(c.getWindowStart()));
    m.put("end", time(c.getWindowEnd()));
    m.put("open", dec(c.getOpen()));
    m.put("high", dec(c.getHigh()));
    m.put("low", dec(c.getLow()));
    m.put("close", dec(c.getClose()));
    m.put("leverage", dec(c.getLeverage()));
    m.put("updates", c.getUpdates());
    return m;
  }
}
