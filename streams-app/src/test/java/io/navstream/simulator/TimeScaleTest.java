package io.navstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeScaleTest {
  private final TimeScale twoMinuteDays = new TimeScale(Duration.ofMinutes(2));

  @Test
  void aTwoMinuteDayRuns720SimulatedSecondsPerWallSecond() {
    assertThat(twoMinuteDays.speedUp()).isEqualTo(720.0);
    assertThat(twoMinuteDays.toSimulated(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(720));
    assertThat(twoMinuteDays.toSimulated(Duration.ofMinutes(2))).isEqualTo(Duration.ofDays(1));
    assertThat(twoMinuteDays.toWall(Duration.ofSeconds(720))).isEqualTo(Duration.ofSeconds(1));
    assertThat(twoMinuteDays.tickInterval(10)).isEqualTo(Duration.ofSeconds(72));
  }

  @Test
  void realTimeIsOneToOne() {
    TimeScale real = TimeScale.realTime();
    assertThat(real.speedUp()).isEqualTo(1.0);
    assertThat(real.toSimulated(Duration.ofMillis(1234))).isEqualTo(Duration.ofMillis(1234));
    assertThat(real.tickInterval(10)).isEqualTo(Duration.ofMillis(100));
    assertThat(real.tickInterval(3)).isEqualTo(Duration.ofMillis(333));
  }

  @Test
  void wallToSimulatedRoundsDownAndBackRoundsUp() {
    TimeScale slow = new TimeScale(Duration.ofDays(3)); // a third of real time
    assertThat(slow.toSimulated(Duration.ofNanos(2))).isEqualTo(Duration.ZERO);
    assertThat(slow.toSimulated(Duration.ofNanos(3))).isEqualTo(Duration.ofNanos(1));
    assertThat(slow.toWall(Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(3));
    assertThat(twoMinuteDays.toWall(Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
    // Exact over long runs: a year of wall time at 720x, to the nanosecond.
    assertThat(twoMinuteDays.toSimulated(Duration.ofDays(365))).isEqualTo(Duration.ofDays(365 * 720));
  }

  @Test
  void aTickFinerThanAMillisecondIsRefused() {
    assertThatThrownBy(() -> new TimeScale(Duration.ofDays(30)).tickInterval(1_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower the rate or lengthen the day");
    assertThatThrownBy(() -> twoMinuteDays.tickInterval(0)).hasMessageContaining("must be positive");
    assertThatThrownBy(() -> new TimeScale(Duration.ZERO)).hasMessageContaining("at least 1 ms");
  }
}
