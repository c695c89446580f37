package io.navstream.replay;

import java.time.Duration;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.internals.StreamTask;

/**
 * Moves a {@link TopologyTestDriver}'s wall clock to each input's time, so that wall-clock
 * punctuations fire as they would live. {@link TopologyTestDriver#advanceWallClockTime} also
 * commits the task every time, which is a no-op right after an input (whose own commit has
 * flushed everything) yet cost a second commit per tick. So when it can, this moves the driver's
 * mock clock directly and calls {@code advanceWallClockTime} (by zero, to punctuate and commit)
 * only when the task has a wall-clock punctuation due. It reaches the clock and the task by
 * reflection (Kafka 4.3's {@code mockWallClockTime} and {@code task}); without them it advances
 * the clock the public way every time.
 */
final class DriverClock {
  private final TopologyTestDriver driver;
  private final Time clock;
  private final StreamTask task;
  private long now;

  DriverClock(TopologyTestDriver driver, long start) {
    this.driver = driver;
    this.now = start;
    Time clock = null;
    StreamTask task = null;
    try {
      clock = (Time) DriverInternals.field(driver, "mockWallClockTime");
      task = (StreamTask) DriverInternals.field(driver, "task");
    } catch (ReflectiveOperationException | RuntimeException e) {
      clock = null; // the public way
    }
    this.clock = task == null ? null : clock;
    this.task = task;
  }

  /** Moves the wall clock forward to {@code time}; never back. */
  void advanceTo(long time) {
    if (time <= now) {
      return;
    }
    if (clock == null) {
      driver.advanceWallClockTime(Duration.ofMillis(time - now));
    } else {
      clock.sleep(time - now);
      if (task.canPunctuateSystemTime()) {
        driver.advanceWallClockTime(Duration.ZERO);
      }
    }
    now = time;
  }
}
