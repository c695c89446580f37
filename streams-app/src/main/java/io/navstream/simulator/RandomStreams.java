package io.navstream.simulator;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeding and sampling that give the same numbers on every JVM and platform: seeds are mixed with
 * SplitMix64 from the master seed, the symbol's UTF-8 bytes and a stream id; normals come from
 * Marsaglia's polar method over {@link SplittableRandom#nextDouble()} (specified bit for bit) and
 * {@link StrictMath} (fdlibm), not from {@code nextGaussian()} or {@link Math}, whose results may
 * differ between JDK versions and CPUs.
 */
final class RandomStreams {
  /** The stream of a symbol's price path. */
  static final int PRICE = 1;
  /** The stream of a symbol's funding rates: separate, so switching funding off leaves prices alone. */
  static final int FUNDING = 2;

  private RandomStreams() {}

  /** A generator for one stream of one symbol. */
  static SplittableRandom forSymbol(long masterSeed, String symbol, int stream) {
    long h = mix64(masterSeed);
    h = mix64(h ^ fnv1a64(symbol.getBytes(StandardCharsets.UTF_8)));
    h = mix64(h + 0x9E3779B97F4A7C15L * stream);
    return new SplittableRandom(h);
  }

  /** A standard normal draw (one of the polar method's pair; the other is dropped to keep no state). */
  static double normal(SplittableRandom random) {
    while (true) {
      double u = 2 * random.nextDouble() - 1;
      double v = 2 * random.nextDouble() - 1;
      double s = u * u + v * v;
      if (s > 0 && s < 1) {
        return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
      }
    }
  }

  /** A Poisson draw of the given mean, by counting unit-rate exponential arrivals. */
  static int poisson(SplittableRandom random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    int count = 0;
    double arrival = exponential(random);
    while (arrival < mean) {
      count++;
      arrival += exponential(random);
    }
    return count;
  }

  private static double exponential(SplittableRandom random) {
    // 1 - u is in (0, 1], so the log is finite.
    return -StrictMath.log(1 - random.nextDouble());
  }

  /** SplitMix64's finaliser (Stafford's variant 13). */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long fnv1a64(byte[] bytes) {
    long h = 0xCBF29CE484222325L;
    for (byte b : bytes) {
      h ^= b & 0xFF;
      h *= 0x100000001B3L;
    }
    return h;
  }
}
