package io.navstream.replay.testsupport;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes big, deterministic prices files for tests and benchmarks: a multiplicative random walk per
 * symbol, rows interleaved across symbols, streamed to disk.
 */
public final class PriceSeriesGenerator {
  private Instant start = Instant.parse("2025-01-01T00:00:00Z");
  private Duration step = Duration.ofSeconds(1);
  private BigDecimal startPrice = new BigDecimal("100");
  private double volatility = 0.001;
  private long seed = 42;
  private boolean epochMillis;

  public PriceSeriesGenerator start(Instant start) {
    this.start = start;
    return this;
  }

  /** Time between two rows of the file (all symbols included). */
  public PriceSeriesGenerator step(Duration step) {
    this.step = step;
    return this;
  }

  public PriceSeriesGenerator startPrice(BigDecimal price) {
    this.startPrice = price;
    return this;
  }

  /** Standard deviation of one step's relative move. */
  public PriceSeriesGenerator volatility(double volatility) {
    this.volatility = volatility;
    return this;
  }

  public PriceSeriesGenerator seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** Timestamps as epoch milliseconds instead of ISO-8601. */
  public PriceSeriesGenerator epochMillis(boolean epochMillis) {
    this.epochMillis = epochMillis;
    return this;
  }

  /** Writes {@code rows} rows (plus the header) cycling through {@code symbols}. */
  public Path write(Path file, long rows, String... symbols) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    double[] prices = new double[symbols.length];
    Arrays.fill(prices, startPrice.doubleValue());
    long t = start.toEpochMilli();
    long stepMillis = step.toMillis();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("timestamp,symbol,price\n");
      for (long i = 0; i < rows; i++) {
        int s = (int) (i % symbols.length);
        prices[s] *= Math.exp(volatility * gaussian(random));
        out.write(epochMillis ? Long.toString(t) : Instant.ofEpochMilli(t).toString());
        out.write(',');
        out.write(symbols[s]);
        out.write(',');
        // The file holds exact decimals; doubles are only the walk's state.
        out.write(
            BigDecimal.valueOf(prices[s]).setScale(8, RoundingMode.HALF_EVEN).toPlainString());
        out.write('\n');
        t += stepMillis;
      }
    }
    return file;
  }

  private static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u = 1.0 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
