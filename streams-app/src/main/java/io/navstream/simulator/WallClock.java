package io.navstream.simulator;

import java.util.concurrent.locks.LockSupport;

/** The wall clock that paces a simulation; tests pass one that advances only when told to. */
public interface WallClock {

  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Waits about {@code nanos}. May return early (callers re-check the time), in particular when
   * the waiting thread is {@link LockSupport#unpark unparked}, which is how a stop wakes it.
   *
   * @throws InterruptedException when the thread is interrupted
   */
  void sleepNanos(long nanos) throws InterruptedException;

  /** The system's monotonic clock, sleeping by parking the thread. */
  static WallClock system() {
    return SystemWallClock.INSTANCE;
  }

  /** Stateless, hence one shared instance. */
  enum SystemWallClock implements WallClock {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
      if (nanos > 0) {
        LockSupport.parkNanos(this, nanos);
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
