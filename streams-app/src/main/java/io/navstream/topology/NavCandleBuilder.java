package io.navstream.topology;

import io.navstream.avro.FundStatus;
import io.navstream.avro.NavCandle;
import io.navstream.avro.NavUpdate;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Folds each fund's NAV updates into 1-minute candles (open, high, low, close, last leverage) in the
 * {@code nav-candles} window store, for charts, and emits each candle once, when its window
 * closes: at the fund's first update in a later window, or at once when the fund retires or is
 * depleted (it will have no later update). Emission depends only on the fund's own updates, so it
 * is the same live and replayed.
 *
 * <p>It runs in the fund-book task, downstream of the processor, so NAV updates are not
 * repartitioned; the store is partitioned like {@code fund-books}, by the fund's underlying.
 */
final class NavCandleBuilder implements Processor<String, NavUpdate, String, NavCandle> {
  static final Duration WINDOW = Duration.ofMinutes(1);
  /** How long candles stay queryable. */
  static final Duration RETENTION = Duration.ofDays(7);
  private static final long WINDOW_MS = WINDOW.toMillis();

  private ProcessorContext<String, NavCandle> context;
  private WindowStore<String, NavCandle> candles;
  /** fundId → its open candle, so an update reads no store; rebuilt from the store on a miss. */
  private final Map<String, NavCandle> open = new HashMap<>();

  @Override
  public void init(ProcessorContext<String, NavCandle> context) {
    this.context = context;
    this.candles = context.getStateStore(StoreNames.NAV_CANDLES);
    open.clear();
  }

  @Override
  public void process(Record<String, NavUpdate> record) {
    NavUpdate nav = record.value();
    String fundId = record.key();
    long time = nav.getEventTime().toEpochMilli();
    long windowStart = time - Math.floorMod(time, WINDOW_MS);
    NavCandle current = open.get(fundId);
    if (current == null && !open.containsKey(fundId)) { // not seen since init: ask the store
      current = latest(fundId, windowStart);
    }
    NavCandle next;
    BigDecimal value = nav.getNav();
    if (current != null && current.getWindowStart().toEpochMilli() >= windowStart) {
      // A new record from the open one's fields: NavCandle.newBuilder(current) deep-copies every
      // field, which cost ~5% of a replay's main thread.
      next = new NavCandle(current.getFundId(), current.getUnderlying(), current.getWindowStart(),
          current.getWindowEnd(), current.getOpen(), current.getHigh().max(value),
          current.getLow().min(value), value, nav.getLeverage(), current.getUpdates() + 1);
    } else {
      if (current != null) {
        emit(record, current); // the first update of a later window closes the previous one
      }
      next = new NavCandle(fundId, nav.getUnderlying(), Instant.ofEpochMilli(windowStart),
          Instant.ofEpochMilli(windowStart + WINDOW_MS), value, value, value, value,
          nav.getLeverage(), 1L);
    }
    candles.put(fundId, next, next.getWindowStart().toEpochMilli());
    if (nav.getStatus() == FundStatus.RETIRED || nav.getStatus() == FundStatus.DEPLETED) {
      emit(record, next);
      open.put(fundId, null); // closed for good: no further candle to emit
    } else {
      open.put(fundId, next);
    }
  }

  /** The fund's most recent candle at or before this window, from the store. */
  private NavCandle latest(String fundId, long windowStart) {
    try (WindowStoreIterator<NavCandle> it = candles.backwardFetch(fundId,
        Instant.ofEpochMilli(Math.max(0, windowStart - RETENTION.toMillis())), Instant.ofEpochMilli(windowStart))) {
      if (it.hasNext()) {
        KeyValue<Long, NavCandle> latest = it.next();
        return latest.value;
      }
    }
    return null;
  }

  private void emit(Record<String, NavUpdate> cause, NavCandle candle) {
    context.forward(new Record<>(candle.getFundId(), candle, cause.timestamp(), new RecordHeaders()));
  }
}
