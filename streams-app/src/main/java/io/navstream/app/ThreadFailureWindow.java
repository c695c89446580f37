package io.navstream.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * Counts failures in a sliding time window: tolerates up to {@code maxFailures} within {@code
 * window} and reports when one more happens. Thread-safe: stream threads fail concurrently.
 *
 * <p>Time comes from a monotonic nanosecond clock ({@link System#nanoTime()} by default, injectable
 * for tests), so wall-clock adjustments cannot stretch or shrink the window.
 */
public final class ThreadFailureWindow {
  private final int maxFailures;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  /** Times of the most recent failures, oldest first; never more than maxFailures + 1. */
  private final Deque<Long> failures = new ArrayDeque<>();

  public ThreadFailureWindow(int maxFailures, Duration window) {
    this(maxFailures, window, System::nanoTime);
  }

  /**
   * @param maxFailures failures tolerated within the window (0: the first failure is too many)
   * @param window how far back failures count
   * @param nanoClock a monotonic clock in nanoseconds
   */
  public ThreadFailureWindow(int maxFailures, Duration window, LongSupplier nanoClock) {
    if (maxFailures < 0) {
      throw new IllegalArgumentException("maxFailures must be >= 0, was " + maxFailures);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, was " + window);
    }
    this.maxFailures = maxFailures;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Records a failure now.
   *
   * @return true when the failures within the window, this one included, exceed the maximum
   */
  public synchronized boolean recordFailure() {
    long now = nanoClock.getAsLong();
    expire(now);
    failures.addLast(now);
    if (failures.size() > maxFailures + 1) {
      // Older entries cannot change the answer; dropping them bounds memory.
      failures.removeFirst();
    }
    return failures.size() > maxFailures;
  }

  /** Failures within the window as of now. */
  public synchronized int failuresInWindow() {
    expire(nanoClock.getAsLong());
    return failures.size();
  }

  public int maxFailures() {
    return maxFailures;
  }

  public Duration window() {
    return Duration.ofNanos(windowNanos);
  }

  private void expire(long now) {
    // Subtraction, not comparison of raw values: nanoTime may overflow.
    while (!failures.isEmpty() && now - failures.peekFirst() >= windowNanos) {
      failures.removeFirst();
    }
  }
}
