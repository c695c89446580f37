package io.navstream.connect;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline: the probe runs until it passes or time is up. */
final class Await {
  private static final long POLL_MILLIS = 200;

  @FunctionalInterface
  interface Probe<T> {
    T get() throws Exception;
  }

  private Await() {}

  /**
   * Runs {@code probe} until {@code done} accepts its value and returns that value. A probe that
   * throws counts as not done yet. After {@code timeout}, fails with {@code what}, the last value
   * or exception, and {@code context} (e.g. a log tail).
   */
  static <T> T until(
      String what, Duration timeout, Probe<T> probe, Predicate<? super T> done, Supplier<String> context)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    Exception lastError = null;
    while (true) {
      try {
        last = probe.get();
        lastError = null;
        if (done.test(last)) {
          return last;
        }
      } catch (Exception e) {
        lastError = e;
      }
      if (System.nanoTime() - deadline > 0) {
        AssertionError failure =
            new AssertionError(
                "Timed out after " + timeout + " waiting for " + what + "; last "
                    + (lastError != null ? "error: " + lastError : "value: " + last)
                    + (context == null ? "" : "\n" + context.get()));
        if (lastError != null) {
          failure.initCause(lastError);
        }
        throw failure;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  static <T> T until(String what, Duration timeout, Probe<T> probe, Predicate<? super T> done)
      throws InterruptedException {
    return until(what, timeout, probe, done, null);
  }
}
