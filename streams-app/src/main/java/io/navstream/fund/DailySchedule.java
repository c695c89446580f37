package io.navstream.fund;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The daily rebalance calendar. Each local date has exactly one scheduled instant, {@code
 * ZonedDateTime.of(date, time, zone)}: a time inside a daylight-saving gap moves forward by the
 * length of the gap, and a time inside an overlap takes the earlier offset.
 */
public final class DailySchedule {
  private DailySchedule() {}

  /** The first scheduled instant strictly after {@code after}. */
  public static Instant nextAfter(Instant after, LocalTime time, ZoneId zone) {
    LocalDate date = after.atZone(zone).toLocalDate();
    // Two dates are always enough, but a zone that skips a whole day (Samoa, 2011) needs a third.
    for (int i = 0; i < 3; i++) {
      Instant candidate = ZonedDateTime.of(date.plusDays(i), time, zone).toInstant();
      if (candidate.isAfter(after)) {
        return candidate;
      }
    }
    return ZonedDateTime.of(date.plusDays(3), time, zone).toInstant();
  }
}
