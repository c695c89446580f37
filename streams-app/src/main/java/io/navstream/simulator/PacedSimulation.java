package io.navstream.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Releases a {@link PriceSimulator}'s events at the wall-clock rate: wall time elapsed since the
 * first release, mapped through the {@link TimeScale}, is the simulated "now", and every event at
 * or before it is due. With a tick interval of {@code scale.tickInterval(rate)} that is about
 * {@code rate} ticks per wall second per symbol. A consumer that falls behind gets the backlog in
 * the next releases (at most {@value #MAX_BATCH} events each), so simulated time never drifts from
 * the wall clock.
 *
 * <p>This is the one place where the wall clock matters; it is injected. Not thread-safe: one
 * thread releases.
 */
public final class PacedSimulation {
  /** Bounds the memory of one release after a long stall. */
  static final int MAX_BATCH = 10_000;

  private static final Duration MAX_WAIT = Duration.ofDays(365L * 100);

  private final PriceSimulator simulator;
  private final TimeScale timeScale;
  private final WallClock clock;
  private final Instant start;
  private final Instant end;
  private long wallStartNanos;
  private boolean begun;

  /**
   * @param simulatedEndOrNull the last eventTime to release (inclusive), or null to run forever
   */
  public PacedSimulation(
      PriceSimulator simulator, TimeScale timeScale, WallClock clock, Instant simulatedEndOrNull) {
    this.simulator = Objects.requireNonNull(simulator, "simulator");
    this.timeScale = Objects.requireNonNull(timeScale, "timeScale");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.start = simulator.scenario().start();
    this.end = simulatedEndOrNull;
    if (end != null && end.isBefore(start)) {
      throw new IllegalArgumentException("end " + end + " is before the start " + start);
    }
  }

  /**
   * The simulated end after running {@code wallDuration} from {@code start}, for the {@code end}
   * argument of the constructor.
   */
  public static Instant endAfter(Instant start, TimeScale scale, Duration wallDuration) {
    return start.plus(scale.toSimulated(wallDuration));
  }

  public Instant start() {
    return start;
  }

  /** The last eventTime released, inclusive, if the simulation has an end. */
  public Optional<Instant> end() {
    return Optional.ofNullable(end);
  }

  public TimeScale timeScale() {
    return timeScale;
  }

  /** The simulated time the wall clock has reached: the start until the first release. */
  public Instant simulatedNow() {
    if (!begun) {
      return start;
    }
    return start.plus(timeScale.toSimulated(Duration.ofNanos(clock.nanoTime() - wallStartNanos)));
  }

  /** Whether every event up to the end has been released; never true without an end. */
  public boolean finished() {
    return end != null && simulator.nextEventTime().isAfter(end);
  }

  /**
   * The events due now, in order, without waiting; empty when none is. The first call starts the
   * wall clock, and releases the events at the start.
   */
  public List<MarketEvent> releaseDue() {
    if (!begun) {
      begun = true;
      wallStartNanos = clock.nanoTime();
    }
    Instant now = simulatedNow();
    Instant limit = end != null && end.isBefore(now) ? end : now;
    List<MarketEvent> due = new ArrayList<>();
    while (due.size() < MAX_BATCH && !simulator.nextEventTime().isAfter(limit)) {
      due.add(simulator.next());
    }
    return due;
  }

  /**
   * The events due now; when there are none, first sleeps until the next one is due. May return
   * an empty list when the sleep ends early (a stop, a spurious wake-up) or the simulation is
   * {@link #finished()}.
   */
  public List<MarketEvent> awaitDue() throws InterruptedException {
    List<MarketEvent> due = releaseDue();
    if (!due.isEmpty() || finished()) {
      return due;
    }
    Duration wallDue = timeScale.toWall(Duration.between(start, simulator.nextEventTime()));
    // Saturated: with a very slow clock the next tick can be further away than a long of nanos.
    long wallDueNanos = wallDue.compareTo(MAX_WAIT) > 0 ? MAX_WAIT.toNanos() : wallDue.toNanos();
    long wait = wallDueNanos - (clock.nanoTime() - wallStartNanos);
    if (wait > 0) {
      clock.sleepNanos(wait);
    }
    return releaseDue();
  }
}
