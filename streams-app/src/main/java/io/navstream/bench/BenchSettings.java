package io.navstream.bench;

import java.time.Duration;
import java.util.List;

/**
 * What a bench command runs, with the defaults ({@link #defaults()}).
 *
 * @param runs runs of every measurement (medians are over these)
 * @param ticks pipeline: pre-loaded price ticks
 * @param underlyings underlyings of the pipeline, latency and replay scenarios
 * @param funds funds per underlying of those scenarios
 * @param partitions partitions of every topic (navstream's default)
 * @param guarantees the guarantees of the pipeline and latency scenarios
 * @param latencyRate latency: offered ticks per second
 * @param latencySeconds latency: how long the measured ticks are offered
 * @param latencyWarmupSeconds latency: how long ticks are offered before those, at the same rate;
 *     the measured ticks start once the app has caught up with them
 * @param lingerMs latency: the apps' producer linger.ms (Kafka Streams' default is 100)
 * @param replayTicks replay: ticks in the replayed file
 * @param scalingNavBudget scaling: NAV updates per configuration; ticks = budget / funds per
 *     underlying, at most {@code scalingMaxTicks}
 * @param scalingMaxTicks scaling: ticks at most per configuration
 * @param scalingFunds scaling: funds per underlying (at {@code underlyings} underlyings)
 * @param scalingUnderlyings scaling: underlyings (at {@code funds} funds per underlying)
 * @param seed the random walk's seed
 */
public record BenchSettings(
    int runs,
    long ticks,
    int underlyings,
    int funds,
    int partitions,
    List<Guarantee> guarantees,
    int latencyRate,
    int latencySeconds,
    int latencyWarmupSeconds,
    int lingerMs,
    long replayTicks,
    long scalingNavBudget,
    long scalingMaxTicks,
    List<Integer> scalingFunds,
    List<Integer> scalingUnderlyings,
    long seed) {

  public BenchSettings {
    guarantees = List.copyOf(guarantees);
    scalingFunds = List.copyOf(scalingFunds);
    scalingUnderlyings = List.copyOf(scalingUnderlyings);
    if (runs < 1 || ticks < 1 || underlyings < 1 || funds < 1 || partitions < 1) {
      throw new IllegalArgumentException("runs, ticks, underlyings, funds and partitions must be positive");
    }
    if (latencySeconds < 1 || latencyWarmupSeconds < 0) {
      throw new IllegalArgumentException(
          "the latency run must last at least a second, its warm-up at least none");
    }
  }

  public static BenchSettings defaults() {
    return new BenchSettings(3, 2_000_000, 50, 4, 6, List.of(Guarantee.EOS, Guarantee.ALOS),
        5_000, 10, 10, 5, 1_000_000, 600_000, 150_000, List.of(1, 4, 16, 64),
        List.of(10, 100, 1000), 42);
  }

  /** How long a drain may take before the bench gives up: generous, it only catches a hang. */
  Duration drainTimeout(long ticks) {
    return Duration.ofSeconds(Math.max(120, ticks / 1_000));
  }

  /** Scaling: the ticks of a configuration with {@code fundsPerUnderlying}. */
  long scalingTicks(int fundsPerUnderlying) {
    return Math.max(1, Math.min(scalingMaxTicks, scalingNavBudget / fundsPerUnderlying));
  }
}
