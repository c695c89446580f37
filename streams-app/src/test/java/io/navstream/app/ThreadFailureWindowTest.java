package io.navstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailureWindowTest {
  private static final Duration WINDOW = Duration.ofMinutes(10);

  /** A fake monotonic clock in nanoseconds; starts far from zero like System.nanoTime(). */
  private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - Duration.ofMinutes(5).toNanos());

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void toleratesMaxFailuresAndReportsTheNextOne() {
    ThreadFailureWindow w = new ThreadFailureWindow(3, WINDOW, now::get);

    assertThat(w.recordFailure()).isFalse();
    assertThat(w.recordFailure()).isFalse();
    assertThat(w.recordFailure()).isFalse();
    assertThat(w.failuresInWindow()).isEqualTo(3);
    assertThat(w.recordFailure()).isTrue();
  }

  @Test
  void failuresOlderThanTheWindowNoLongerCount() {
    ThreadFailureWindow w = new ThreadFailureWindow(3, WINDOW, now::get);
    w.recordFailure();
    w.recordFailure();
    w.recordFailure();

    advance(WINDOW);

    assertThat(w.failuresInWindow()).isZero();
    assertThat(w.recordFailure()).isFalse();
  }

  @Test
  void theWindowSlides() {
    // The clock starts near Long.MAX_VALUE, so this also crosses the nanoTime overflow.
    ThreadFailureWindow w = new ThreadFailureWindow(3, WINDOW, now::get);
    w.recordFailure(); // t=0
    advance(Duration.ofMinutes(4));
    w.recordFailure(); // t=4
    advance(Duration.ofMinutes(4));
    w.recordFailure(); // t=8
    advance(Duration.ofMinutes(3));

    assertThat(w.recordFailure()).as("t=11: the failure at t=0 expired").isFalse();
    advance(Duration.ofMinutes(1));
    assertThat(w.recordFailure()).as("t=12: failures at 4, 8, 11, 12").isTrue();
  }

  @Test
  void zeroToleranceFailsOnTheFirstFailure() {
    assertThat(new ThreadFailureWindow(0, WINDOW, now::get).recordFailure()).isTrue();
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new ThreadFailureWindow(-1, WINDOW, now::get))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ThreadFailureWindow(3, Duration.ZERO, now::get))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsConcurrentFailuresExactly() throws Exception {
    int threads = 8;
    int perThread = 500;
    int max = 1000;
    ThreadFailureWindow w = new ThreadFailureWindow(max, WINDOW, now::get);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> exceeded = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        exceeded.add(
            pool.submit(
                () -> {
                  go.await();
                  int n = 0;
                  for (int i = 0; i < perThread; i++) {
                    n += w.recordFailure() ? 1 : 0;
                  }
                  return n;
                }));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : exceeded) {
        total += f.get(30, TimeUnit.SECONDS);
      }
      // Exactly the failures beyond the first `max` are reported, whatever the interleaving.
      assertThat(total).isEqualTo(threads * perThread - max);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void handlerReplacesThreadsUntilTheyFailTooOften() {
    ThreadFailureHandler handler =
        new ThreadFailureHandler(new ThreadFailureWindow(3, WINDOW, now::get));
    RuntimeException boom = new IllegalStateException("boom");

    assertThat(handler.handle(boom)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(handler.handle(boom)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(handler.handle(boom)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(handler.handle(boom)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }
}
