package io.navstream.query;

import io.navstream.avro.FundState;
import io.navstream.avro.NavCandle;
import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.internal.FundRegistration;
import io.navstream.avro.internal.RecentRebalances;
import io.navstream.avro.internal.UnderlyingMark;
import io.navstream.topology.StoreNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * IQv2 queries of this instance's own stores. {@code active} true requires the active replica
 * ({@code requireActive}); false accepts a standby. A replica that is not queryable now (NOT_ACTIVE,
 * NOT_PRESENT: a rebalance or a restore is under way) is a 503 with Retry-After.
 */
final class LocalStores {
  private final KafkaStreams streams;

  LocalStores(KafkaStreams streams) {
    this.streams = streams;
  }

  FundRegistration registration(String fundId, int partition, boolean active) {
    return key(StoreNames.FUND_REGISTRY, fundId, partition, active);
  }

  FundState fund(String fundId, int partition, boolean active) {
    return key(StoreNames.FUND_BOOKS, fundId, partition, active);
  }

  UnderlyingMark mark(String underlying, int partition, boolean active) {
    return key(StoreNames.UNDERLYING_MARKS, underlying, partition, active);
  }

  /** The fund's latest premium/discount, from the active replica; null when none yet. */
  PremiumDiscount premium(String fundId, int partition) {
    return key(StoreNames.LATEST_PREMIUMS, fundId, partition, true);
  }

  RecentRebalances rebalances(String fundId, int partition, boolean active) {
    return key(StoreNames.RECENT_REBALANCES, fundId, partition, active);
  }

  List<NavCandle> candles(String fundId, Instant from, Instant to, int partition, boolean active) {
    StateQueryRequest<WindowStoreIterator<NavCandle>> request = StateQueryRequest
        .inStore(StoreNames.NAV_CANDLES)
        .withQuery(WindowKeyQuery.<String, NavCandle>withKeyAndWindowStartRange(fundId, from, to))
        .withPartitions(Set.of(partition));
    QueryResult<WindowStoreIterator<NavCandle>> r =
        only(streams.query(active ? request.requireActive() : request), partition);
    List<NavCandle> out = new ArrayList<>();
    try (WindowStoreIterator<NavCandle> it = r.getResult()) {
      it.forEachRemaining(kv -> out.add(kv.value));
    }
    return out;
  }

  /** One local partition's books and marks, for listings. */
  record PartitionBooks(int partition, List<FundState> funds, Map<String, UnderlyingMark> marks) {}

  /**
   * The books of every local partition of {@code fund-books}: with {@code active} the partitions
   * this instance is active for; without, only its standby partitions.
   */
  List<PartitionBooks> books(boolean active) {
    Set<Integer> activeParts = new HashSet<>();
    List<PartitionBooks> out = new ArrayList<>();
    StateQueryRequest<KeyValueIterator<String, FundState>> activeRequest = StateQueryRequest
        .inStore(StoreNames.FUND_BOOKS)
        .withQuery(RangeQuery.<String, FundState>withNoBounds())
        .requireActive();
    StateQueryResult<KeyValueIterator<String, FundState>> result = streams.query(activeRequest);
    for (Map.Entry<Integer, QueryResult<KeyValueIterator<String, FundState>>> e
        : result.getPartitionResults().entrySet()) {
      if (e.getValue().isSuccess()) {
        activeParts.add(e.getKey());
        if (active) {
          out.add(read(e.getKey(), e.getValue(), true));
        }
      } else {
        close(e.getValue());
      }
    }
    if (active) {
      return out;
    }
    Set<Integer> standby = new HashSet<>(lags().keySet());
    standby.removeAll(activeParts);
    if (standby.isEmpty()) {
      return out;
    }
    StateQueryResult<KeyValueIterator<String, FundState>> standbyResult = streams.query(
        StateQueryRequest.inStore(StoreNames.FUND_BOOKS)
            .withQuery(RangeQuery.<String, FundState>withNoBounds())
            .withPartitions(standby));
    for (Map.Entry<Integer, QueryResult<KeyValueIterator<String, FundState>>> e
        : standbyResult.getPartitionResults().entrySet()) {
      if (e.getValue().isSuccess()) {
        out.add(read(e.getKey(), e.getValue(), false));
      }
    }
    return out;
  }

  /** Whether every local partition of the stores answers a query (readiness). */
  boolean queryable() {
    for (String store : List.of(StoreNames.FUND_BOOKS, StoreNames.FUND_REGISTRY)) {
      StateQueryResult<FundState> r = streams.query(StateQueryRequest.inStore(store)
          .withQuery(KeyQuery.<String, FundState>withKey("\u0000readiness-probe")).requireActive());
      for (QueryResult<FundState> q : r.getPartitionResults().values()) {
        if (q.isFailure() && q.getFailureReason() != FailureReason.NOT_ACTIVE
            && q.getFailureReason() != FailureReason.NOT_PRESENT) {
          return false;
        }
      }
    }
    return true;
  }

  /** The offset lag of this instance's copy of {@code fund-books} partition {@code partition}. */
  Long lag(int partition) {
    LagInfo info = lags().get(partition);
    return info == null ? null : info.offsetLag();
  }

  private Map<Integer, LagInfo> lags() {
    try {
      Map<Integer, LagInfo> m = streams.allLocalStorePartitionLags().get(StoreNames.FUND_BOOKS);
      return m == null ? Map.of() : m;
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  private PartitionBooks read(
      int partition, QueryResult<KeyValueIterator<String, FundState>> r, boolean active) {
    List<FundState> funds = new ArrayList<>();
    try (KeyValueIterator<String, FundState> it = r.getResult()) {
      while (it.hasNext()) {
        KeyValue<String, FundState> kv = it.next();
        funds.add(kv.value);
      }
    }
    Map<String, UnderlyingMark> marks = new TreeMap<>();
    for (FundState f : funds) {
      if (!marks.containsKey(f.getUnderlying())) {
        marks.put(f.getUnderlying(), mark(f.getUnderlying(), partition, active));
      }
    }
    return new PartitionBooks(partition, funds, marks);
  }

  private static void close(QueryResult<? extends KeyValueIterator<?, ?>> r) {
    if (r.isSuccess() && r.getResult() != null) {
      r.getResult().close();
    }
  }

  private <V> V key(String store, String key, int partition, boolean active) {
    StateQueryRequest<V> request = StateQueryRequest.inStore(store)
        .withQuery(KeyQuery.<String, V>withKey(key))
        .withPartitions(Set.of(partition));
    return only(streams.query(active ? request.requireActive() : request), partition).getResult();
  }

  private static <R> QueryResult<R> only(StateQueryResult<R> result, int partition) {
    QueryResult<R> r = result.getPartitionResults().get(partition);
    if (r == null) {
      throw ApiException.unavailable("partition " + partition + " is not on this instance now");
    }
    if (r.isFailure()) {
      FailureReason reason = r.getFailureReason();
      if (reason == FailureReason.NOT_ACTIVE || reason == FailureReason.NOT_PRESENT
          || reason == FailureReason.NOT_UP_TO_BOUND) {
        throw ApiException.unavailable(
            "partition " + partition + " is not queryable here now (" + reason + "); retry");
      }
      throw new ApiException(500, "query failed: " + reason + ": " + r.getFailureMessage());
    }
    return r;
  }
}
