package io.navstream.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one symbol's price moves: geometric Brownian motion plus Poisson jumps in the log price.
 *
 * <p>Per tick of length dt (in years of 365 days, since crypto trades every day):
 * {@code ln P += (drift - vol²/2)·dt + vol·√dt·Z + Σ J}, with Z standard normal and a
 * Poisson({@code jumpsPerDay}·dt in days) number of jumps J ~ N(jumpLogMean, jumpLogStdev²). Jumps
 * are not drift-compensated: with a mean near 0 they add about nothing to the expected return, and
 * keeping them raw keeps the parameters readable.
 *
 * @param symbol the underlying, also the Kafka key of its records
 * @param startPrice the first tick's price
 * @param annualDrift annualised drift of the diffusion (0 for a driftless demo)
 * @param annualVolatility annualised volatility of the diffusion, without jumps (0.65 = 65%/yr)
 * @param jumpsPerDay expected jumps per simulated day
 * @param jumpLogMean mean of a jump's log size
 * @param jumpLogStdev standard deviation of a jump's log size (0.08: most jumps within ±16%)
 * @param priceDecimals decimals prices are rounded to before they are widened to scale 18
 * @param tickInterval simulated time between two ticks, a whole number of milliseconds
 */
public record SymbolModel(
    String symbol,
    double startPrice,
    double annualDrift,
    double annualVolatility,
    double jumpsPerDay,
    double jumpLogMean,
    double jumpLogStdev,
    int priceDecimals,
    Duration tickInterval) {

  /** Highest price emitted: keeps a runaway path inside Avro's decimal(38, 18). */
  public static final double MAX_PRICE = 1e15;

  /** The demo's symbols, in the order the demo lists them. */
  public static final List<String> DEMO_SYMBOLS = List.of("BTC-USDT", "ETH-USDT", "SOL-USDT");

  /**
   * Presets of the demo's symbols. The diffusion is calmer than the coins' typical volatility and
   * the jumps are fat (one about every eight days, most within ±20%), which brings the total
   * (√(vol² + 365·λ·(m² + s²))) to about 75% (BTC), 83% (ETH) and 89% (SOL) a year, and makes
   * moves past the demo funds' thresholds happen inside a day now and then, as in crypto markets.
   * Through the demo funds' rules, 30 simulated days (an hour with {@code --day-length PT2M})
   * average about 1.6 THRESHOLD and 7 BAND rebalances besides the 240 daily ones.
   */
  private static final Map<String, Preset> PRESETS =
      Map.of(
          "BTC-USDT", new Preset(60_000, 0.45, 0.12, 0.09),
          "ETH-USDT", new Preset(3_000, 0.50, 0.12, 0.10),
          "SOL-USDT", new Preset(150, 0.52, 0.12, 0.11));

  /** For symbols without a preset: a volatile altcoin. */
  private static final Preset GENERIC = new Preset(Double.NaN, 0.55, 0.12, 0.11);

  private record Preset(double startPrice, double volatility, double jumpsPerDay, double jumpStdev) {}

  public SymbolModel {
    Objects.requireNonNull(symbol, "symbol");
    Objects.requireNonNull(tickInterval, "tickInterval");
    if (symbol.isBlank()) {
      throw new IllegalArgumentException("A symbol must not be blank");
    }
    require(startPrice > 0 && startPrice <= MAX_PRICE, symbol, "startPrice", startPrice,
        "must be positive and at most " + MAX_PRICE);
    require(Double.isFinite(annualDrift) && Math.abs(annualDrift) <= 10, symbol, "annualDrift",
        annualDrift, "must be between -10 and 10");
    require(annualVolatility >= 0 && annualVolatility <= 10, symbol, "annualVolatility",
        annualVolatility, "must be between 0 and 10");
    require(jumpsPerDay >= 0 && jumpsPerDay <= 1_000, symbol, "jumpsPerDay", jumpsPerDay,
        "must be between 0 and 1000");
    require(Double.isFinite(jumpLogMean) && Math.abs(jumpLogMean) <= 1, symbol, "jumpLogMean",
        jumpLogMean, "must be between -1 and 1");
    require(jumpLogStdev >= 0 && jumpLogStdev <= 1, symbol, "jumpLogStdev", jumpLogStdev,
        "must be between 0 and 1");
    if (priceDecimals < 0 || priceDecimals > 18) {
      throw new IllegalArgumentException(
          symbol + ": priceDecimals " + priceDecimals + " must be between 0 and 18");
    }
    if (tickInterval.compareTo(Duration.ofMillis(1)) < 0 || tickInterval.toNanosPart() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          symbol + ": tickInterval " + tickInterval + " must be a positive whole number of ms");
    }
  }

  /**
   * A model with the preset volatility and jumps of {@code symbol} (a generic altcoin's when it has
   * none), no drift, and decimals that suit {@code startPrice}.
   */
  public static SymbolModel of(String symbol, double startPrice, Duration tickInterval) {
    Preset p = PRESETS.getOrDefault(symbol, GENERIC);
    return new SymbolModel(symbol, startPrice, 0, p.volatility(), p.jumpsPerDay(), 0,
        p.jumpStdev(), decimalsFor(startPrice), tickInterval);
  }

  /** {@link #of} at the preset start price; fails for a symbol without a preset. */
  public static SymbolModel of(String symbol, Duration tickInterval) {
    return of(symbol, defaultStartPrice(symbol).orElseThrow(() -> new IllegalArgumentException(
        "No default start price for " + symbol + "; give one as " + symbol + "=PRICE")),
        tickInterval);
  }

  /** The preset start price of a demo symbol (BTC-USDT 60000, ETH-USDT 3000, SOL-USDT 150). */
  public static Optional<Double> defaultStartPrice(String symbol) {
    Preset p = PRESETS.get(symbol);
    return p == null ? Optional.empty() : Optional.of(p.startPrice());
  }

  /**
   * Decimals like an exchange's price step: about six significant digits, at least 2 and at most
   * 8 (60000 → 2, 3000 → 2, 150 → 3, 1.5 → 5).
   */
  public static int decimalsFor(double price) {
    int magnitude = (int) Math.floor(Math.log10(price));
    return Math.max(2, Math.min(8, 5 - magnitude));
  }

  /**
   * Expected annualised volatility of log returns including the jumps: √(vol² + 365·λ·(m² + s²)).
   */
  public double totalAnnualVolatility() {
    double jumpVariancePerDay = jumpsPerDay * (jumpLogMean * jumpLogMean + jumpLogStdev * jumpLogStdev);
    return Math.sqrt(annualVolatility * annualVolatility + 365 * jumpVariancePerDay);
  }

  public SymbolModel withTickInterval(Duration interval) {
    return new SymbolModel(symbol, startPrice, annualDrift, annualVolatility, jumpsPerDay,
        jumpLogMean, jumpLogStdev, priceDecimals, interval);
  }

  public SymbolModel withVolatility(double volatility) {
    return new SymbolModel(symbol, startPrice, annualDrift, volatility, jumpsPerDay, jumpLogMean,
        jumpLogStdev, priceDecimals, tickInterval);
  }

  public SymbolModel withJumps(double perDay, double logMean, double logStdev) {
    return new SymbolModel(symbol, startPrice, annualDrift, annualVolatility, perDay, logMean,
        logStdev, priceDecimals, tickInterval);
  }

  public SymbolModel withDrift(double drift) {
    return new SymbolModel(symbol, startPrice, drift, annualVolatility, jumpsPerDay, jumpLogMean,
        jumpLogStdev, priceDecimals, tickInterval);
  }

  private static void require(boolean ok, String symbol, String name, double value, String rule) {
    // NaN fails every comparison above, so it lands here too.
    if (!ok) {
      throw new IllegalArgumentException(symbol + ": " + name + " " + value + " " + rule);
    }
  }
}
