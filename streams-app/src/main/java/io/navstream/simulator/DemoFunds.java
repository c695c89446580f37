package io.navstream.simulator;

import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import io.navstream.fund.Decimals;
import java.math.BigDecimal;
import java.util.List;

/**
 * The demo's leveraged tokens: 3x long and short on BTC, ETH and SOL, and 5x long and short on BTC,
 * with the parameters exchanges use.
 *
 * <ul>
 *   <li>Daily rebalance at 00:00 UTC.
 *   <li>3x: a rebalance after a 15% adverse move of the underlying, and whenever leverage leaves
 *       1.25–4 (Binance-like).
 *   <li>5x: the threshold is scaled to the same loss. A 3x fund whose underlying moves 15% against
 *       it has lost 3 × 15% = 45% of its equity since the last rebalance; a 5x reaches that loss at
 *       45% / 5 = 9%, so its thresholdMove is 0.09 (thresholdMove = 0.45 / L). Its band, 2.5–7,
 *       is the 3x band stretched around the higher target.
 *   <li>Management fee 0.01% a day (≈ 3.65% a year, several exchanges' rate), trading fee 0.04% of
 *       the traded notional (a taker fee).
 *   <li>Launched at NAV 10 with 1,000,000 shares (equity 10,000,000 USDT).
 *   <li>No effectiveTime: each fund may incept from its definition record's timestamp on, which
 *       {@link SimulatorPublisher} sets to the simulation's start.
 * </ul>
 *
 * <p>Every decimal has scale 18, as the Avro contract requires.
 */
public final class DemoFunds {
  public static final String DAILY_REBALANCE_TIME = "00:00";
  public static final String TIME_ZONE = "UTC";

  private static final BigDecimal MANAGEMENT_FEE_DAILY = decimal("0.0001");
  private static final BigDecimal TRADING_FEE_RATE = decimal("0.0004");
  private static final BigDecimal INITIAL_NAV = decimal("10");
  private static final BigDecimal INITIAL_SHARES = decimal("1000000");

  private DemoFunds() {}

  /** The eight demo funds in a fixed order; fresh instances on every call (Avro records are mutable). */
  public static List<FundDefinition> definitions() {
    return List.of(
        threeX("BTC", Direction.LONG),
        threeX("BTC", Direction.SHORT),
        threeX("ETH", Direction.LONG),
        threeX("ETH", Direction.SHORT),
        threeX("SOL", Direction.LONG),
        threeX("SOL", Direction.SHORT),
        fiveX("BTC", Direction.LONG),
        fiveX("BTC", Direction.SHORT));
  }

  /** The underlyings of the demo funds, the simulator's default symbols. */
  public static List<String> underlyings() {
    return SymbolModel.DEMO_SYMBOLS;
  }

  private static FundDefinition threeX(String coin, Direction direction) {
    return fund(coin, direction, 3, "0.15", "1.25", "4");
  }

  private static FundDefinition fiveX(String coin, Direction direction) {
    return fund(coin, direction, 5, "0.09", "2.5", "7");
  }

  private static FundDefinition fund(String coin, Direction direction, int leverage,
      String thresholdMove, String minLeverage, String maxLeverage) {
    return FundDefinition.newBuilder()
        .setFundId(coin + leverage + (direction == Direction.LONG ? "L" : "S"))
        .setUnderlying(coin + "-USDT")
        .setDirection(direction)
        .setTargetLeverage(decimal(Integer.toString(leverage)))
        .setInitialNav(INITIAL_NAV)
        .setInitialShares(INITIAL_SHARES)
        .setEffectiveTime(null)
        .setDailyRebalanceTime(DAILY_REBALANCE_TIME)
        .setRebalanceTimeZone(TIME_ZONE)
        .setThresholdMove(decimal(thresholdMove))
        .setMinLeverage(decimal(minLeverage))
        .setMaxLeverage(decimal(maxLeverage))
        .setRecenteringSpeed(Decimals.ONE)
        .setManagementFeeDaily(MANAGEMENT_FEE_DAILY)
        .setTradingFeeRate(TRADING_FEE_RATE)
        .build();
  }

  private static BigDecimal decimal(String value) {
    // Exact: every constant here has at most 18 decimals, so setScale never rounds.
    return new BigDecimal(value).setScale(Decimals.SCALE);
  }
}
