package io.navstream.serde;

import io.navstream.avro.Direction;
import io.navstream.avro.FlowType;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundFlow;
import io.navstream.avro.FundState;
import io.navstream.avro.FundStatus;
import io.navstream.avro.NavSplitPolicy;
import io.navstream.avro.PriceTick;
import java.math.BigDecimal;
import java.time.Instant;

/** Sample records of the generated classes, with decimals at navstream's scale 18. */
final class Records {
  static final Instant T0 = Instant.parse("2025-03-14T09:30:00.123Z");

  private Records() {}

  static BigDecimal decimal(String value) {
    return new BigDecimal(value).setScale(18);
  }

  static PriceTick priceTick(String symbol, String price, Instant eventTime) {
    return PriceTick.newBuilder()
        .setSymbol(symbol)
        .setPrice(decimal(price))
        .setEventTime(eventTime)
        .build();
  }

  static FundDefinition fundDefinition(String fundId) {
    return FundDefinition.newBuilder()
        .setFundId(fundId)
        .setUnderlying("BTC")
        .setDirection(Direction.SHORT)
        .setTargetLeverage(decimal("3"))
        .setInitialNav(decimal("100"))
        .setInitialShares(decimal("1000000"))
        .setEffectiveTime(T0)
        .setDailyRebalanceTime("16:00")
        .setRebalanceTimeZone(null)
        .setThresholdMove(decimal("0.25"))
        .setMinLeverage(null)
        .setMaxLeverage(null)
        .setRecenteringSpeed(null)
        .setManagementFeeDaily(decimal("0.0000273972602739"))
        .setTradingFeeRate(null)
        .setCreationFee(decimal("0.001"))
        .setFlowBlackoutMinutes(15)
        .setNavPolicy(NavSplitPolicy.newBuilder().setMinNav(decimal("0.1")).setMaxNav(null).build())
        .build();
  }

  static FundState fundState(String fundId) {
    FundDefinition definition = fundDefinition(fundId);
    return FundState.newBuilder()
        .setFundId(fundId)
        .setUnderlying("BTC")
        .setStatus(FundStatus.ACTIVE)
        .setEventTime(T0)
        .setShares(decimal("1000000"))
        .setPositionQuantity(decimal("-45.123456789012345678"))
        .setCash(decimal("400000000.5"))
        .setLastRebalancePrice(decimal("66450.25"))
        .setLastRebalanceTime(T0.minusSeconds(3600))
        .setEquityAtLastRebalance(null)
        .setNextScheduledRebalance(null)
        .setRebalanceSequence(42L)
        .setCumulativeManagementFees(decimal("12.5"))
        .setCumulativeTradingFees(decimal("0"))
        .setCumulativeFunding(decimal("-3.000000000000000001"))
        .setDefinition(definition)
        .setPendingDefinition(
            FundDefinition.newBuilder(definition).setTargetLeverage(decimal("2")).build())
        .setAdjustmentFactor(decimal("10"))
        .setPendingFlows(java.util.List.of(
            new FundFlow("r1", fundId, FlowType.CREATE, decimal("1000"), T0),
            new FundFlow("r2", fundId, FlowType.REDEEM, decimal("0.5"), T0.plusMillis(1))))
        .build();
  }
}
