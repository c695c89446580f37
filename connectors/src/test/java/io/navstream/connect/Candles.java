package io.navstream.connect;

import io.navstream.avro.NavCandle;
import io.navstream.avro.NavUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * 1-minute NAV candles computed from NAV updates, as the contract defines them (NavCandle: one per
 * fund per closed window; open, high, low and close of the NAV, the leverage of the window's last
 * update, the number of updates). A window is closed once an update of the same fund at or after its
 * end has been seen; the window of the fund's last update is still open and gets no candle.
 */
final class Candles {
  static final Duration WINDOW = Duration.ofMinutes(1);

  private Candles() {}

  static List<NavCandle> closed(List<NavUpdate> updates) {
    Map<String, List<NavUpdate>> byFund = new LinkedHashMap<>();
    updates.forEach(u -> byFund.computeIfAbsent(u.getFundId(), k -> new ArrayList<>()).add(u));
    List<NavCandle> out = new ArrayList<>();
    byFund.forEach(
        (fund, list) -> {
          Instant last = list.get(list.size() - 1).getEventTime();
          NavCandle.Builder open = null;
          for (NavUpdate u : list) {
            Instant start = windowStart(u.getEventTime());
            if (open != null && !open.getWindowStart().equals(start)) {
              out.add(open.build());
              open = null;
            }
            if (open == null) {
              open =
                  NavCandle.newBuilder()
                      .setFundId(fund)
                      .setUnderlying(u.getUnderlying())
                      .setWindowStart(start)
                      .setWindowEnd(start.plus(WINDOW))
                      .setOpen(u.getNav())
                      .setHigh(u.getNav())
                      .setLow(u.getNav())
                      .setUpdates(0);
            }
            open.setHigh(open.getHigh().max(u.getNav()));
            open.setLow(open.getLow().min(u.getNav()));
            open.setClose(u.getNav());
            open.setLeverage(u.getLeverage());
            open.setUpdates(open.getUpdates() + 1);
          }
          if (open != null && !open.getWindowEnd().isAfter(last)) {
            out.add(open.build());
          }
        });
    return out;
  }

  static Instant windowStart(Instant t) {
    long ms = t.toEpochMilli();
    return Instant.ofEpochMilli(ms - Math.floorMod(ms, WINDOW.toMillis()));
  }
}
