package io.navstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The benchmark input, deterministic for a seed: {@code underlyings} symbols ticking round-robin,
 * each a random walk (80 %/yr), and {@code fundsPerUnderlying} funds on each in the 3L/3S/5L/5S
 * pattern of {@code benchmarks/make-replay-input.py} (daily 00:00 UTC, thresholds, bands, fees).
 * Every tick makes one NAV update per fund on its underlying once the funds are live.
 */
public final class Workload {
  /** 2025-01-01T00:00:00Z: the first tick's event time. */
  public static final long START_MILLIS = 1_735_689_600_000L;

  private static final String[][] SHAPES = {
    {"3L", "LONG", "3", "0.15", "1.25", "4"}, {"3S", "SHORT", "3", "0.15", "1.25", "4"},
    {"5L", "LONG", "5", "0.09", "2.5", "7"}, {"5S", "SHORT", "5", "0.09", "2.5", "7"}
  };

  private final int underlyings;
  private final int fundsPerUnderlying;
  private final long tickSpacingMillis;
  private final String[] symbols;

  /**
   * @param tickSpacingMillis event time between consecutive ticks (any underlying)
   */
  public Workload(int underlyings, int fundsPerUnderlying, long tickSpacingMillis) {
    if (underlyings < 1 || fundsPerUnderlying < 1 || tickSpacingMillis < 1) {
      throw new IllegalArgumentException("underlyings, funds and tick spacing must be positive");
    }
    this.underlyings = underlyings;
    this.fundsPerUnderlying = fundsPerUnderlying;
    this.tickSpacingMillis = tickSpacingMillis;
    this.symbols = new String[underlyings];
    for (int i = 0; i < underlyings; i++) {
      symbols[i] = String.format(Locale.ROOT, "U%04d-USDT", i);
    }
  }

  public int underlyings() {
    return underlyings;
  }

  public int fundsPerUnderlying() {
    return fundsPerUnderlying;
  }

  public int funds() {
    return underlyings * fundsPerUnderlying;
  }

  public String symbol(long tick) {
    return symbols[(int) (tick % underlyings)];
  }

  public long eventTime(long tick) {
    return START_MILLIS + tick * tickSpacingMillis;
  }

  /** The definitions, effective before the first tick. */
  public List<FundDefinition> definitions() {
    List<FundDefinition> out = new ArrayList<>(funds());
    for (String s : symbols) {
      for (int k = 0; k < fundsPerUnderlying; k++) {
        String[] shape = SHAPES[k % SHAPES.length];
        out.add(FundDefinition.newBuilder()
            .setFundId(fundId(s, k, shape))
            .setUnderlying(s)
            .setDirection(Direction.valueOf(shape[1]))
            .setTargetLeverage(wire(shape[2]))
            .setInitialNav(wire("10"))
            .setInitialShares(wire("1000000"))
            .setEffectiveTime(Instant.ofEpochMilli(START_MILLIS - 1))
            .setDailyRebalanceTime("00:00")
            .setThresholdMove(wire(shape[3]))
            .setMinLeverage(wire(shape[4]))
            .setMaxLeverage(wire(shape[5]))
            .setManagementFeeDaily(wire("0.0001"))
            .setTradingFeeRate(wire("0.0004"))
            .build());
      }
    }
    return out;
  }

  private static String fundId(String symbol, int k, String[] shape) {
    return symbol.substring(0, symbol.indexOf('-')) + shape[0] + (k < SHAPES.length ? "" : k);
  }

  /** The ticks in order, from a fresh random walk: the same seed gives the same ticks. */
  public Ticks ticks(long seed) {
    return new Ticks(seed);
  }

  /** A random walk over the underlyings; not thread-safe. */
  public final class Ticks {
    private final SplittableRandom random;
    private final double[] price = new double[underlyings];
    private final double sigma;
    private long next;

    private Ticks(long seed) {
      random = new SplittableRandom(seed);
      java.util.Arrays.fill(price, 100.0);
      double perUnderlyingSpacingSeconds = tickSpacingMillis * underlyings / 1000.0;
      sigma = 0.8 * Math.sqrt(perUnderlyingSpacingSeconds / (365.0 * 24 * 3600));
    }

    /** The index of the tick {@link #next()} returns. */
    public long index() {
      return next;
    }

    public PriceTick next() {
      long i = next++;
      int u = (int) (i % underlyings);
      price[u] *= Math.exp(gaussian() * sigma);
      return new PriceTick(symbols[u], BigDecimal.valueOf(price[u]).setScale(4, RoundingMode.HALF_EVEN)
          .setScale(18), Instant.ofEpochMilli(eventTime(i)));
    }

    private double gaussian() {
      // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
      double u1 = random.nextDouble();
      double u2 = random.nextDouble();
      return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
  }

  /**
   * Writes {@code funds.json} and {@code prices.csv} in the replay command's formats: the same
   * definitions and the same first {@code ticks} ticks.
   */
  public void writeReplayInput(Path dir, long ticks, long seed) throws IOException {
    Files.createDirectories(dir);
    ObjectMapper json = new ObjectMapper();
    ArrayNode funds = json.createArrayNode();
    for (FundDefinition d : definitions()) {
      ObjectNode f = funds.addObject();
      f.put("fundId", d.getFundId());
      f.put("underlying", d.getUnderlying());
      f.put("direction", d.getDirection().name());
      f.put("targetLeverage", plain(d.getTargetLeverage()));
      f.put("initialNav", plain(d.getInitialNav()));
      f.put("initialShares", plain(d.getInitialShares()));
      f.put("effectiveTime", d.getEffectiveTime().toEpochMilli());
      f.put("dailyRebalanceTime", d.getDailyRebalanceTime());
      f.put("thresholdMove", plain(d.getThresholdMove()));
      f.put("minLeverage", plain(d.getMinLeverage()));
      f.put("maxLeverage", plain(d.getMaxLeverage()));
      f.put("managementFeeDaily", plain(d.getManagementFeeDaily()));
      f.put("tradingFeeRate", plain(d.getTradingFeeRate()));
    }
    json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("funds.json").toFile(), funds);
    Ticks walk = ticks(seed);
    try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("prices.csv"))) {
      out.write("timestamp,symbol,price\n");
      for (long i = 0; i < ticks; i++) {
        PriceTick t = walk.next();
        out.write(Long.toString(t.getEventTime().toEpochMilli()));
        out.write(',');
        out.write(t.getSymbol());
        out.write(',');
        out.write(t.getPrice().setScale(4, RoundingMode.UNNECESSARY).toPlainString());
        out.write('\n');
      }
    }
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  private static BigDecimal wire(String value) {
    return new BigDecimal(value).setScale(18);
  }
}
