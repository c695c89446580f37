package io.navstream.fund;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DailyScheduleTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void isStrictlyAfter() {
    Instant midnight = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(DailySchedule.nextAfter(midnight, LocalTime.MIDNIGHT, ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2025-01-02T00:00:00Z"));
    assertThat(DailySchedule.nextAfter(midnight.minusMillis(1), LocalTime.MIDNIGHT, ZoneId.of("UTC")))
        .isEqualTo(midnight);
  }

  @Test
  void aTimeInTheSpringGapMovesForward() {
    // 2025-03-09 02:30 does not exist in New York; it becomes 03:30 EDT = 07:30Z.
    Instant before = Instant.parse("2025-03-09T05:00:00Z");
    assertThat(DailySchedule.nextAfter(before, LocalTime.of(2, 30), NEW_YORK))
        .isEqualTo(Instant.parse("2025-03-09T07:30:00Z"));
  }

  @Test
  void aTimeInTheAutumnOverlapTakesTheEarlierOffset() {
    // 2025-11-02 01:30 happens twice in New York; the first is 01:30 EDT = 05:30Z.
    Instant before = Instant.parse("2025-11-02T04:00:00Z");
    assertThat(DailySchedule.nextAfter(before, LocalTime.of(1, 30), NEW_YORK))
        .isEqualTo(Instant.parse("2025-11-02T05:30:00Z"));
    // The second 01:30 (EST, 06:30Z) is not a second schedule: next is the following day.
    assertThat(DailySchedule.nextAfter(Instant.parse("2025-11-02T05:30:00Z"), LocalTime.of(1, 30), NEW_YORK))
        .isEqualTo(Instant.parse("2025-11-03T06:30:00Z"));
  }
}
