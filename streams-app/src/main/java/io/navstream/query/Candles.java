package io.navstream.query;

import io.navstream.avro.NavCandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Aggregates 1-minute candles (in time order) into larger intervals. */
final class Candles {
  static final Map<String, Duration> INTERVALS = Map.of(
      "1m", Duration.ofMinutes(1), "5m", Duration.ofMinutes(5), "15m", Duration.ofMinutes(15),
      "1h", Duration.ofHours(1), "1d", Duration.ofDays(1));

  private Candles() {}

  static Duration interval(String text) {
    Duration d = INTERVALS.get(text == null ? "1m" : text);
    if (d == null) {
      throw ApiException.badRequest("interval must be one of 1m, 5m, 15m, 1h, 1d, not '" + text + "'");
    }
    return d;
  }

  /** Open of the first, close and leverage of the last, high max, low min, updates summed. */
  static List<NavCandle> aggregate(List<NavCandle> minutes, Duration interval) {
    long size = interval.toMillis();
    List<NavCandle> out = new ArrayList<>();
    NavCandle current = null;
    for (NavCandle c : minutes) {
      long start = c.getWindowStart().toEpochMilli();
      long bucket = start - Math.floorMod(start, size);
      if (current != null && current.getWindowStart().toEpochMilli() == bucket) {
        current = NavCandle.newBuilder(current)
            .setHigh(current.getHigh().max(c.getHigh()))
            .setLow(current.getLow().min(c.getLow()))
            .setClose(c.getClose())
            .setLeverage(c.getLeverage())
            .setUpdates(current.getUpdates() + c.getUpdates())
            .build();
      } else {
        if (current != null) {
          out.add(current);
        }
        current = NavCandle.newBuilder(c)
            .setWindowStart(Instant.ofEpochMilli(bucket))
            .setWindowEnd(Instant.ofEpochMilli(bucket + size))
            .build();
      }
    }
    if (current != null) {
      out.add(current);
    }
    return out;
  }
}
