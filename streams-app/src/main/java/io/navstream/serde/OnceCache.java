package io.navstream.serde;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A concurrent cache that computes each value once, even when many threads ask for the same missing
 * key at the same time: the first caller computes, the others wait for its result. A failed
 * computation is not cached, so the next caller tries again.
 *
 * <p>Unlike {@link ConcurrentHashMap#computeIfAbsent}, the computation (an HTTP call here) runs
 * outside the map's locks, so a slow registry never blocks lookups of other keys.
 */
final class OnceCache<K, V> {
  private final ConcurrentMap<K, CompletableFuture<V>> entries = new ConcurrentHashMap<>();

  V get(K key, Function<? super K, ? extends V> compute) {
    CompletableFuture<V> entry = entries.get(key);
    if (entry == null) {
      CompletableFuture<V> mine = new CompletableFuture<>();
      entry = entries.putIfAbsent(key, mine);
      if (entry == null) {
        return computeInto(mine, key, compute);
      }
    }
    return await(entry);
  }

  /** Records a value learned some other way, unless one is already there. */
  void putIfAbsent(K key, V value) {
    entries.putIfAbsent(key, CompletableFuture.completedFuture(value));
  }

  void clear() {
    entries.clear();
  }

  private V computeInto(
      CompletableFuture<V> mine, K key, Function<? super K, ? extends V> compute) {
    try {
      V value = compute.apply(key);
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      entries.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private static <V> V await(CompletableFuture<V> entry) {
    if (entry.isDone() && !entry.isCompletedExceptionally()) {
      return entry.getNow(null); // the hot path: no waiting, no exception handling
    }
    try {
      return entry.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("Interrupted while waiting for a schema registry call");
    } catch (ExecutionException e) {
      // Another thread's failure: give this caller its own exception with the same message.
      Throwable cause = e.getCause();
      if (cause instanceof SchemaRegistryException failure) {
        throw new SchemaRegistryException(
            failure.getMessage(), failure.httpStatus(), failure.errorCode(), failure);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new SchemaRegistryException(cause.toString(), -1, -1, cause);
    }
  }
}
