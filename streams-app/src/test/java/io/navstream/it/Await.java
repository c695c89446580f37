package io.navstream.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline; tests never sleep to synchronise. */
final class Await {
  private static final long POLL_MILLIS = 50;

  private Await() {}

  /**
   * Returns as soon as {@code condition} holds; fails with {@code description} when it still does
   * not after {@code timeout}.
   */
  static void until(Duration timeout, BooleanSupplier condition, String description) {
    until(timeout, condition, () -> description);
  }

  /** As {@link #until(Duration, BooleanSupplier, String)}, the message computed on failure. */
  static void until(Duration timeout, BooleanSupplier condition, Supplier<String> description) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "Timed out after " + timeout.toMillis() + " ms waiting for: " + description.get());
      }
      try {
        Thread.sleep(POLL_MILLIS); // the polling interval of the condition, not a synchronisation
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted waiting for: " + description.get(), e);
      }
    }
  }
}
