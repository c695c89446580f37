package io.navstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The drain measurement shared by the pipeline and scaling scenarios: navstream, then the
 * pass-through, drain the same pre-loaded ticks in one run.
 *
 * <p>navstream first gets its fund definitions and runs until every fund is registered (its
 * fund-state records are committed); then it is paused, the ticks are pre-loaded with a fast
 * idempotent producer, and the clock runs from {@code resume()} until the ticks are drained. The
 * pass-through reads the same ticks: started paused, and timed from {@code resume()} too.
 */
final class Drain {
  /** Ticks per second of one run: navstream's and its baseline's, and navstream's own probe. */
  record Outcome(double navstreamTicksPerSecond, double passThroughTicksPerSecond,
      long navstreamOutputs) {
    double ratio() {
      return navstreamTicksPerSecond / passThroughTicksPerSecond;
    }
  }

  private Drain() {}

  /** Looks at navstream's state after the drain; the default looks at nothing. */
  interface StateProbe {
    StateProbe NONE = new StateProbe() {};

    /** navstream has drained and still runs: its stores are queryable. */
    default void drained(BenchApp navstream) {}

    /** navstream has closed cleanly: its stores are flushed to its state directory. */
    default void closed(BenchApp navstream) {}
  }

  static Outcome measure(BenchContext ctx, BenchApp.Run run, Workload workload, long ticks,
      StateProbe probe) {
    BenchKafka kafka = ctx.kafka();
    int fanOut = workload.fundsPerUnderlying();
    long outputs = ticks * fanOut;
    var timeout = ctx.settings().drainTimeout(ticks);
    double navTps;
    try {
      long t0 = System.nanoTime();
      long closing;
      BenchApp nav = BenchApp.navstream(kafka, run);
      try (nav) {
        kafka.produceDefinitions(run.topics().fundDefinitions(), workload.definitions());
        nav.start(BenchContext.START_TIMEOUT);
        long t1 = System.nanoTime();
        kafka.awaitCommittedRecords(run.topics().fundState(), workload.funds(), BenchContext.START_TIMEOUT);
        nav.pause();
        long t2 = System.nanoTime();
        try (BenchProgress.Step step = ctx.progress().step("pre-load", ticks, "ticks")) {
          kafka.preloadTicks(run.topics().prices(), workload.ticks(ctx.settings().seed()), ticks, step);
        }
        ctx.say("  setup: navstream running in %.1f s, funds registered in %.1f s, %,d ticks"
            + " pre-loaded in %.1f s", (t1 - t0) / 1e9, (t2 - t1) / 1e9, ticks, (System.nanoTime() - t2) / 1e9);
        navTps = timeDrain(ctx, nav, ticks, outputs, timeout);
        probe.drained(nav);
        closing = System.nanoTime();
      }
      probe.closed(nav);
      double baseTps;
      long t3 = System.nanoTime();
      ctx.say("  navstream closed in %.1f s", (t3 - closing) / 1e9);
      try (BenchApp base = BenchApp.passThrough(kafka, run, fanOut)) {
        base.pause();
        base.start(BenchContext.START_TIMEOUT);
        ctx.say("  setup: pass-through running in %.1f s", (System.nanoTime() - t3) / 1e9);
        baseTps = timeDrain(ctx, base, ticks, outputs, timeout);
      }
      return new Outcome(navTps, baseTps, outputs);
    } finally {
      kafka.deleteTopicsStartingWith(run.prefix());
      BenchKafka.deleteRecursively(ctx.kafka().workDir().resolve("state"));
    }
  }

  private static double timeDrain(BenchContext ctx, BenchApp app, long ticks, long outputs,
      java.time.Duration timeout) {
    long started;
    try (BenchProgress.Step step = ctx.progress().step(app.name(), ticks, "ticks")) {
      started = System.nanoTime();
      app.resume();
      app.awaitDrained(ctx.kafka(), ticks, outputs, timeout, step);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double tps = ticks / seconds;
    ctx.say("  %-12s %,d ticks in %.2f s: %,.0f ticks/s (load average %.2f)", app.name(), ticks,
        seconds, tps, Machine.loadNow());
    return tps;
  }

  /**
   * Bytes of the SST files of {@code store}'s RocksDB directories under a state directory (after a
   * clean close the memtables are flushed to them; RocksDB's own LOG and OPTIONS files, a fixed
   * cost per store, are left out).
   */
  static long storeDirectoryBytes(Path stateDir, String store) {
    if (!Files.exists(stateDir)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.walk(stateDir)) {
      return dirs.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals(store))
          .mapToLong(Drain::sstBytes).sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long sstBytes(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".sst")).mapToLong(f -> {
        try {
          return Files.size(f);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
