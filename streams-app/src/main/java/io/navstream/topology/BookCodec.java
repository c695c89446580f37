package io.navstream.topology;

import io.navstream.avro.FlowResult;
import io.navstream.avro.FlowStatus;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundFlow;
import io.navstream.avro.NavSplitPolicy;
import io.navstream.avro.FundState;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.fund.CorporateAction;
import io.navstream.fund.Decimals;
import io.navstream.fund.Flow;
import io.navstream.fund.FlowOutcome;
import io.navstream.fund.FlowType;
import io.navstream.fund.FundBook;
import io.navstream.fund.FundSpec;
import io.navstream.fund.FundStatus;
import io.navstream.fund.NavPoint;
import io.navstream.fund.NavPolicy;
import io.navstream.fund.Rebalance;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Maps between the Avro contract and the domain. The domain never sees Avro types; this is the only
 * place that knows both. Round trips are exact: a book written to the store reads back equal.
 */
final class BookCodec {
  private BookCodec() {}

  static FundSpec.Draft draft(FundDefinition d) {
    return new FundSpec.Draft(d.getFundId(), d.getUnderlying(),
        d.getDirection() == null ? null : d.getDirection().name(), d.getTargetLeverage(),
        d.getInitialNav(), d.getInitialShares(), d.getEffectiveTime(), d.getDailyRebalanceTime(),
        d.getRebalanceTimeZone(), d.getThresholdMove(), d.getMinLeverage(), d.getMaxLeverage(),
        d.getRecenteringSpeed(), d.getManagementFeeDaily(), d.getTradingFeeRate(),
        d.getCreationFee(), d.getRedemptionFee(), d.getFlowBlackoutMinutes(),
        d.getNavPolicy() == null ? null : new NavPolicy(d.getNavPolicy().getMinNav(),
            d.getNavPolicy().getMaxNav(), d.getNavPolicy().getFactors()),
        d.getPremiumAlertThreshold());
  }

  /** A validated definition, written back with every default made explicit. */
  static FundDefinition definition(FundSpec s) {
    return FundDefinition.newBuilder()
        .setFundId(s.fundId())
        .setUnderlying(s.underlying())
        .setDirection(io.navstream.avro.Direction.valueOf(s.direction().name()))
        .setTargetLeverage(d(s.targetLeverage()))
        .setInitialNav(d(s.initialNav()))
        .setInitialShares(d(s.initialShares()))
        .setEffectiveTime(s.effectiveTime())
        .setDailyRebalanceTime(s.dailyRebalanceTimeText())
        .setRebalanceTimeZone(s.zone().getId())
        .setThresholdMove(d(s.thresholdMove()))
        .setMinLeverage(d(s.minLeverage()))
        .setMaxLeverage(d(s.maxLeverage()))
        .setRecenteringSpeed(d(s.recenteringSpeed()))
        .setManagementFeeDaily(d(s.managementFeeDaily()))
        .setTradingFeeRate(d(s.tradingFeeRate()))
        .setCreationFee(d(s.creationFee()))
        .setRedemptionFee(d(s.redemptionFee()))
        .setFlowBlackoutMinutes(s.flowBlackout() == null ? null : (int) s.flowBlackout().toMinutes())
        .setNavPolicy(s.navPolicy() == null ? null : NavSplitPolicy.newBuilder()
            .setMinNav(d(s.navPolicy().minNav()))
            .setMaxNav(d(s.navPolicy().maxNav()))
            .setFactors(s.navPolicy().factors())
            .build())
        .setPremiumAlertThreshold(d(s.premiumAlertThreshold()))
        .build();
  }

  static FundState state(FundBook b) {
    return FundState.newBuilder()
        .setFundId(b.fundId())
        .setUnderlying(b.underlying())
        .setStatus(io.navstream.avro.FundStatus.valueOf(b.status().name()))
        .setEventTime(b.updatedAt())
        .setShares(d(b.shares()))
        .setPositionQuantity(d(b.quantity()))
        .setCash(d(b.cash()))
        .setLastRebalancePrice(d(b.lastRebalancePrice()))
        .setLastRebalanceTime(b.lastRebalanceTime())
        .setEquityAtLastRebalance(d(b.equityAtLastRebalance()))
        .setNextScheduledRebalance(b.nextScheduledRebalance())
        .setRebalanceSequence(b.sequence())
        .setCumulativeManagementFees(d(b.cumulativeManagementFees()))
        .setCumulativeTradingFees(d(b.cumulativeTradingFees()))
        .setCumulativeFunding(d(b.cumulativeFunding()))
        .setDefinition(definition(b.spec()))
        .setPendingDefinition(b.stagedSpec() == null ? null : definition(b.stagedSpec()))
        .setRebalancesPaused(b.rebalancesPaused())
        .setAdjustmentFactor(d(b.adjustmentFactor()))
        .setPendingFlows(b.pendingFlows().stream().map(BookCodec::fundFlow).toList())
        .build();
  }

  static FundBook book(FundState s) {
    return new FundBook(
        spec(s.getDefinition()),
        s.getPendingDefinition() == null ? null : spec(s.getPendingDefinition()),
        FundStatus.valueOf(s.getStatus().name()),
        s.getShares(), s.getPositionQuantity(), s.getCash(), s.getLastRebalancePrice(),
        s.getLastRebalanceTime(), s.getEquityAtLastRebalance(), s.getNextScheduledRebalance(),
        s.getRebalanceSequence(), s.getCumulativeManagementFees(), s.getCumulativeTradingFees(),
        s.getCumulativeFunding(), s.getEventTime(), s.getRebalancesPaused(),
        s.getAdjustmentFactor() == null ? Decimals.ONE : s.getAdjustmentFactor(),
        s.getPendingFlows().stream().map(BookCodec::flow).toList());
  }

  /** A flow as it arrived; null when a field it cannot do without is missing. */
  static Flow flow(FundFlow f) {
    if (f == null || f.getRequestId() == null || f.getFundId() == null || f.getAmount() == null
        || f.getEventTime() == null || f.getType() == null || f.getType() == io.navstream.avro.FlowType.UNKNOWN) {
      return null;
    }
    return new Flow(f.getRequestId(), f.getFundId(), FlowType.valueOf(f.getType().name()),
        f.getAmount(), f.getEventTime());
  }

  static FundFlow fundFlow(Flow f) {
    return FundFlow.newBuilder()
        .setRequestId(f.requestId())
        .setFundId(f.fundId())
        .setType(io.navstream.avro.FlowType.valueOf(f.type().name()))
        .setAmount(d(f.amount()))
        .setEventTime(f.eventTime())
        .build();
  }

  static FlowResult flowResult(FlowOutcome o) {
    return FlowResult.newBuilder()
        .setRequestId(o.requestId())
        .setFundId(o.fundId())
        .setType(io.navstream.avro.FlowType.valueOf(o.type().name()))
        .setStatus(o.accepted() ? FlowStatus.ACCEPTED : FlowStatus.REJECTED)
        .setAmount(d(o.amount()))
        .setShares(d(o.shares()))
        .setNav(d(o.nav()))
        .setFee(d(o.fee()))
        .setCash(d(o.cash()))
        .setReasonCode(o.rejection() == null ? null : o.rejection().name())
        .setReason(o.message())
        .setEventTime(o.time())
        .build();
  }

  static io.navstream.avro.CorporateAction corporateAction(CorporateAction a) {
    return io.navstream.avro.CorporateAction.newBuilder()
        .setFundId(a.fundId())
        .setType(io.navstream.avro.CorporateActionType.valueOf(a.type().name()))
        .setRatio(a.ratio())
        .setNavBefore(d(a.navBefore()))
        .setNavAfter(d(a.navAfter()))
        .setSharesBefore(d(a.sharesBefore()))
        .setSharesAfter(d(a.sharesAfter()))
        .setAdjustmentFactor(d(a.adjustmentFactor()))
        .setEventTime(a.time())
        .build();
  }

  /** A stored definition was valid when stored; its effective time is always set. */
  private static FundSpec spec(FundDefinition d) {
    return FundSpec.validate(draft(d), d.getEffectiveTime() != null ? d.getEffectiveTime() : Instant.EPOCH);
  }

  static RebalanceInstruction instruction(Rebalance r) {
    return RebalanceInstruction.newBuilder()
        .setInstructionId(r.instructionId())
        .setSequence(r.sequence())
        .setFundId(r.fundId())
        .setUnderlying(r.underlying())
        .setEventTime(r.time())
        .setReason(io.navstream.avro.RebalanceReason.valueOf(r.reason().name()))
        .setPrice(d(r.price()))
        .setNavBefore(d(r.navBefore()))
        .setLeverageBefore(d(r.leverageBefore()))
        .setLeverageAfter(d(r.leverageAfter()))
        .setFromQuantity(d(r.fromQuantity()))
        .setToQuantity(d(r.toQuantity()))
        .setDeltaQuantity(d(r.deltaQuantity()))
        .setSide(io.navstream.avro.TradeSide.valueOf(r.side().name()))
        .setNotional(r.notional())
        .setTradingFee(d(r.tradingFee()))
        .build();
  }

  static NavUpdate navUpdate(NavPoint p) {
    return NavUpdate.newBuilder()
        .setFundId(p.fundId())
        .setUnderlying(p.underlying())
        .setEventTime(p.time())
        .setPrice(d(p.price()))
        .setNav(d(p.nav()))
        .setLeverage(d(p.leverage()))
        .setEquity(d(p.equity()))
        .setShares(d(p.shares()))
        .setPositionQuantity(d(p.quantity()))
        .setCash(d(p.cash()))
        .setStatus(io.navstream.avro.FundStatus.valueOf(p.status().name()))
        .setAdjustmentFactor(d(p.adjustmentFactor()))
        .setAdjustedNav(p.adjustmentFactor().compareTo(BigDecimal.ONE) == 0 ? d(p.nav()) : p.adjustedNav())
        .build();
  }

  /** The wire's decimal(38, 18); a no-op for domain values, which already have that scale. */
  private static BigDecimal d(BigDecimal v) {
    return v == null ? null : Decimals.round(v);
  }
}
