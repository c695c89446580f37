package io.navstream.simulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A wall clock that moves only when advanced; sleeping advances it at once, so nothing waits. */
public final class FakeWallClock implements WallClock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicLong sleeps = new AtomicLong();

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public void sleepNanos(long duration) {
    sleeps.incrementAndGet();
    nanos.addAndGet(Math.max(0, duration));
  }

  public void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  /** How many times a sleep was asked for. */
  public long sleeps() {
    return sleeps.get();
  }
}
