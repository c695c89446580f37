package io.navstream.simulator;

import static io.navstream.simulator.Scenarios.MIDNIGHT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PacedSimulationTest {
  private static final TimeScale TWO_MINUTE_DAYS = new TimeScale(Duration.ofMinutes(2));
  private final FakeWallClock clock = new FakeWallClock();

  private PacedSimulation paced(TimeScale scale, double rate, Instant endOrNull) {
    Scenario scenario = Scenarios.demo(42, MIDNIGHT, scale.tickInterval(rate));
    return new PacedSimulation(new PriceSimulator(scenario), scale, clock, endOrNull);
  }

  private static Map<String, Long> ticksPerSymbol(List<MarketEvent> events) {
    return events.stream().filter(e -> e instanceof MarketEvent.Price)
        .collect(Collectors.groupingBy(MarketEvent::symbol, Collectors.counting()));
  }

  @Test
  void oneWallSecondOfATwoMinuteDayIs720SimulatedSecondsAndRateTicksPerSymbol() {
    PacedSimulation paced = paced(TWO_MINUTE_DAYS, 10, null);

    List<MarketEvent> atStart = paced.releaseDue();
    assertThat(paced.simulatedNow()).isEqualTo(MIDNIGHT);
    assertThat(atStart).extracting(MarketEvent::eventTime).containsOnly(MIDNIGHT).hasSize(3);

    clock.advance(Duration.ofSeconds(1));
    List<MarketEvent> afterOneSecond = paced.releaseDue();

    assertThat(paced.simulatedNow()).isEqualTo(MIDNIGHT.plusSeconds(720));
    assertThat(ticksPerSymbol(afterOneSecond))
        .containsOnly(Map.entry("BTC-USDT", 10L), Map.entry("ETH-USDT", 10L), Map.entry("SOL-USDT", 10L));
    assertThat(afterOneSecond.get(afterOneSecond.size() - 1).eventTime()).isEqualTo(MIDNIGHT.plusSeconds(720));
    assertThat(paced.releaseDue()).isEmpty();
  }

  @Test
  void inRealTimeASecondIsASecond() {
    PacedSimulation paced = paced(TimeScale.realTime(), 10, null);
    paced.releaseDue();

    clock.advance(Duration.ofMillis(999));
    assertThat(ticksPerSymbol(paced.releaseDue())).containsOnly(
        Map.entry("BTC-USDT", 9L), Map.entry("ETH-USDT", 9L), Map.entry("SOL-USDT", 9L));
    clock.advance(Duration.ofMillis(1));
    assertThat(paced.releaseDue()).hasSize(3);
    assertThat(paced.simulatedNow()).isEqualTo(MIDNIGHT.plusSeconds(1));
  }

  @Test
  void awaitDueSleepsExactlyUntilTheNextTick() throws InterruptedException {
    PacedSimulation paced = paced(TWO_MINUTE_DAYS, 10, null);
    paced.releaseDue();
    long before = clock.nanoTime();

    List<MarketEvent> next = paced.awaitDue();

    // 72 s of simulated time is 100 ms of wall time at 720x.
    assertThat(clock.nanoTime() - before).isEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(clock.sleeps()).isEqualTo(1);
    assertThat(next).extracting(MarketEvent::eventTime).containsOnly(MIDNIGHT.plusSeconds(72)).hasSize(3);
  }

  @Test
  void anEndIsInclusiveAndFinishesTheSimulation() throws InterruptedException {
    Instant end = PacedSimulation.endAfter(MIDNIGHT, TWO_MINUTE_DAYS, Duration.ofSeconds(1));
    PacedSimulation paced = paced(TWO_MINUTE_DAYS, 10, end);

    List<MarketEvent> all = new ArrayList<>();
    while (!paced.finished()) {
      all.addAll(paced.awaitDue());
    }

    assertThat(end).isEqualTo(MIDNIGHT.plusSeconds(720));
    assertThat(ticksPerSymbol(all)).containsOnly(
        Map.entry("BTC-USDT", 11L), Map.entry("ETH-USDT", 11L), Map.entry("SOL-USDT", 11L));
    assertThat(all.get(all.size() - 1).eventTime()).isEqualTo(end);
    clock.advance(Duration.ofHours(1));
    assertThat(paced.releaseDue()).isEmpty();
    assertThat(paced.awaitDue()).isEmpty();
  }

  @Test
  void aBacklogIsReleasedInBoundedBatchesWithoutLosingEvents() {
    PacedSimulation paced = paced(TWO_MINUTE_DAYS, 10, null);
    paced.releaseDue();
    // A stall of 20 wall minutes: 10 simulated days, 3 × 12,000 ticks and 90 funding events.
    clock.advance(Duration.ofMinutes(20));

    List<MarketEvent> first = paced.releaseDue();
    List<MarketEvent> rest = new ArrayList<>();
    for (List<MarketEvent> batch = paced.releaseDue(); !batch.isEmpty(); batch = paced.releaseDue()) {
      rest.addAll(batch);
    }

    assertThat(first).hasSize(PacedSimulation.MAX_BATCH);
    assertThat(first.size() + rest.size()).isEqualTo(3 * 12_000 + 3 * 30);
    assertThat(rest.get(rest.size() - 1).eventTime()).isEqualTo(MIDNIGHT.plus(Duration.ofDays(10)));
  }

  @Test
  void pacedEventsAreExactlyTheSimulatorsEvents() throws InterruptedException {
    PacedSimulation paced = paced(TWO_MINUTE_DAYS, 10, MIDNIGHT.plus(Duration.ofDays(1)));
    List<MarketEvent> released = new ArrayList<>();
    while (!paced.finished()) {
      released.addAll(paced.awaitDue());
    }

    List<MarketEvent> direct = new PriceSimulator(
        Scenarios.demo(42, MIDNIGHT, Duration.ofSeconds(72))).next(released.size());
    assertThat(released).isEqualTo(direct);
    // A simulated day of two wall minutes, slept in ticks of 100 ms.
    assertThat(clock.sleeps()).isEqualTo(1_200);
  }
}
