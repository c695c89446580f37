package io.navstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnceCacheTest {
  private final OnceCache<String, Integer> cache = new OnceCache<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void computesOnceWhileOthersWait() throws Exception {
    AtomicInteger computations = new AtomicInteger();
    CountDownLatch computing = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      results.add(executor.submit(() -> cache.get("k", key -> {
        computations.incrementAndGet();
        computing.countDown();
        await(finish);
        return 42;
      })));
    }

    assertThat(computing.await(10, TimeUnit.SECONDS)).isTrue();
    finish.countDown();

    for (Future<Integer> result : results) {
      assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(42);
    }
    assertThat(computations).hasValue(1);
  }

  @Test
  void aFailureIsNotCached() {
    AtomicInteger computations = new AtomicInteger();

    assertThatThrownBy(() -> cache.get("k", key -> {
      computations.incrementAndGet();
      throw new SchemaRegistryException("registry down");
    })).isInstanceOf(SchemaRegistryException.class).hasMessage("registry down");
    int value = cache.get("k", key -> computations.incrementAndGet());

    assertThat(value).isEqualTo(2);
    assertThat(cache.get("k", key -> -1)).isEqualTo(2);
  }

  @Test
  void putIfAbsentKeepsTheFirstValue() {
    cache.putIfAbsent("k", 1);
    cache.putIfAbsent("k", 2);

    assertThat(cache.get("k", key -> 3)).isEqualTo(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
