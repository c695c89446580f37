package io.navstream.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * navstream's inputs for the connector tests, the same for Kafka and for {@code replay}: three funds
 * (a 3x long and a 3x short on BTC, a 2x long on ETH) with fees, a band and a daily rebalance at
 * 00:00 UTC, and 25 minutes of prices every 10 seconds across that midnight, with a rally in BTC and
 * a crash in ETH. So the outputs hold inceptions, a DAILY rebalance of every fund, ad hoc rebalances,
 * decimals with all 18 places used, and two dozen closed 1-minute windows per fund.
 */
final class Scenario {
  static final int SCALE = 18;
  static final Instant EFFECTIVE = Instant.parse("2025-03-03T23:47:00Z");
  static final Instant FIRST_TICK = Instant.parse("2025-03-03T23:48:00Z");
  static final Duration TICK = Duration.ofSeconds(10);
  static final int TICKS_PER_SYMBOL = 150;

  static final String BTC = "BTC-USDT";
  static final String ETH = "ETH-USDT";

  record Tick(Instant time, String symbol, BigDecimal price) {
    PriceTick avro() {
      return PriceTick.newBuilder().setSymbol(symbol).setPrice(d(price)).setEventTime(time).build();
    }
  }

  private final List<FundDefinition> definitions;
  private final List<Tick> ticks;

  private Scenario(List<FundDefinition> definitions, List<Tick> ticks) {
    this.definitions = definitions;
    this.ticks = ticks;
  }

  static Scenario standard() {
    List<FundDefinition> funds =
        List.of(
            fund("BTC3L", BTC, Direction.LONG, "3", "100", "1000", "0.15", "2.5", "4"),
            fund("BTC3S", BTC, Direction.SHORT, "3", "50", "2000", "0.15", "2.5", "4"),
            fund("ETH2L", ETH, Direction.LONG, "2", "10", "12345.678", "0.1", "1.6", "2.5"));
    Random random = new Random(20250303L);
    List<Tick> ticks = new ArrayList<>();
    BigDecimal btc = new BigDecimal("84000.5");
    BigDecimal eth = new BigDecimal("2200.25");
    for (int i = 0; i < TICKS_PER_SYMBOL; i++) {
      Instant t = FIRST_TICK.plus(TICK.multipliedBy(i));
      // BTC: +0.1% a tick on average for the first 12 minutes (a rally the short feels), noise after.
      double btcDrift = i < 72 ? 0.0013 : 0.0;
      btc = step(btc, random, btcDrift, 0.002, 2);
      // ETH: noise, and a 12% crash at 00:05 that takes the 2x long past its threshold.
      eth = i == 102 ? eth.multiply(new BigDecimal("0.88")).setScale(2, RoundingMode.HALF_EVEN) : step(eth, random, 0.0, 0.002, 2);
      ticks.add(new Tick(t, BTC, btc));
      ticks.add(new Tick(t, ETH, eth));
    }
    return new Scenario(funds, ticks);
  }

  List<FundDefinition> definitions() {
    return definitions;
  }

  /** Prices in event-time order (BTC before ETH at equal times). */
  List<Tick> ticks() {
    return ticks;
  }

  Instant lastTick() {
    return ticks.get(ticks.size() - 1).time();
  }

  /** Writes replay's {@code --funds} JSON and {@code --prices} CSV for the same inputs. */
  void writeReplayInputs(Path fundsJson, Path pricesCsv) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ArrayNode funds = json.createArrayNode();
    for (FundDefinition d : definitions) {
      ObjectNode f = funds.addObject();
      f.put("fundId", d.getFundId());
      f.put("underlying", d.getUnderlying());
      f.put("direction", d.getDirection().name());
      f.put("targetLeverage", d.getTargetLeverage().toPlainString());
      f.put("initialNav", d.getInitialNav().toPlainString());
      f.put("initialShares", d.getInitialShares().toPlainString());
      f.put("effectiveTime", d.getEffectiveTime().toString());
      f.put("dailyRebalanceTime", d.getDailyRebalanceTime());
      f.put("rebalanceTimeZone", d.getRebalanceTimeZone());
      f.put("thresholdMove", d.getThresholdMove().toPlainString());
      f.put("minLeverage", d.getMinLeverage().toPlainString());
      f.put("maxLeverage", d.getMaxLeverage().toPlainString());
      f.put("managementFeeDaily", d.getManagementFeeDaily().toPlainString());
      f.put("tradingFeeRate", d.getTradingFeeRate().toPlainString());
    }
    Files.writeString(fundsJson, json.writerWithDefaultPrettyPrinter().writeValueAsString(funds), StandardCharsets.UTF_8);

    StringBuilder csv = new StringBuilder("timestamp,symbol,price\n");
    for (Tick t : ticks) {
      csv.append(t.time()).append(',').append(t.symbol()).append(',').append(t.price().toPlainString()).append('\n');
    }
    Files.writeString(pricesCsv, csv, StandardCharsets.UTF_8);
  }

  private static FundDefinition fund(
      String id,
      String underlying,
      Direction direction,
      String leverage,
      String initialNav,
      String shares,
      String threshold,
      String min,
      String max) {
    return FundDefinition.newBuilder()
        .setFundId(id)
        .setUnderlying(underlying)
        .setDirection(direction)
        .setTargetLeverage(d(leverage))
        .setInitialNav(d(initialNav))
        .setInitialShares(d(shares))
        .setEffectiveTime(EFFECTIVE)
        .setDailyRebalanceTime("00:00")
        .setRebalanceTimeZone("UTC")
        .setThresholdMove(d(threshold))
        .setMinLeverage(d(min))
        .setMaxLeverage(d(max))
        .setRecenteringSpeed(null)
        .setManagementFeeDaily(d("0.0001"))
        .setTradingFeeRate(d("0.0005"))
        .build();
  }

  private static BigDecimal step(BigDecimal price, Random random, double drift, double noise, int scale) {
    double move = drift + (random.nextDouble() * 2 - 1) * noise;
    return price.multiply(BigDecimal.valueOf(1 + move)).setScale(scale, RoundingMode.HALF_EVEN);
  }

  /** A decimal at the contract's scale (Avro's decimal conversion insists on it). */
  static BigDecimal d(String value) {
    return d(new BigDecimal(value));
  }

  static BigDecimal d(BigDecimal value) {
    return value.setScale(SCALE, RoundingMode.UNNECESSARY);
  }
}
