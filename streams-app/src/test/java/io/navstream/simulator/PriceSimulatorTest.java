package io.navstream.simulator;

import static io.navstream.simulator.Scenarios.DEMO_INTERVAL;
import static io.navstream.simulator.Scenarios.MIDNIGHT;
import static io.navstream.simulator.Scenarios.fundings;
import static io.navstream.simulator.Scenarios.prices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PriceSimulatorTest {

  private static List<MarketEvent> first(Scenario scenario, int count) {
    return new PriceSimulator(scenario).next(count);
  }

  @Test
  void theSameSeedGivesTheSameFirstTenThousandEvents() {
    List<MarketEvent> a = first(Scenarios.demo(42), 10_000);
    List<MarketEvent> b = first(Scenarios.demo(42), 10_000);

    assertThat(a).hasSize(10_000).isEqualTo(b);
    // Equal BigDecimals of equal scale: the Avro bytes are equal too.
    assertThat(a.stream().map(Object::toString).toList())
        .isEqualTo(b.stream().map(Object::toString).toList());
    assertThat(fundings(a)).isNotEmpty();
  }

  @Test
  void aDifferentSeedGivesDifferentPaths() {
    List<MarketEvent> a = first(Scenarios.demo(42), 3_000);
    List<MarketEvent> b = first(Scenarios.demo(43), 3_000);

    List<MarketEvent.Price> btcA = prices(a, "BTC-USDT");
    List<MarketEvent.Price> btcB = prices(b, "BTC-USDT");
    assertThat(btcA.get(0)).isEqualTo(btcB.get(0)); // both start at the start price
    long differing = IntStream.range(1, btcA.size())
        .filter(i -> !btcA.get(i).price().equals(btcB.get(i).price())).count();
    assertThat(differing).isGreaterThan((long) (0.95 * (btcA.size() - 1)));
  }

  @Test
  void theStreamsAreStableAcrossVersionsAndPlatforms() {
    // Pinned values: a change here changes every documented demo run of seed 42.
    List<MarketEvent> events = first(Scenarios.demo(42), 10_000);

    assertThat(prices(events.subList(0, 12), "BTC-USDT"))
        .extracting(p -> p.price().stripTrailingZeros().toPlainString())
        .containsExactly("60000", "59983.25", "59949.86", "59934.25");
    assertThat(fundings(events).subList(0, 3)).containsExactly(
        new MarketEvent.Funding("BTC-USDT", Instant.parse("2025-01-01T08:00:00Z"), new BigDecimal("-0.000005730000000000")),
        new MarketEvent.Funding("ETH-USDT", Instant.parse("2025-01-01T08:00:00Z"), new BigDecimal("-0.000012470000000000")),
        new MarketEvent.Funding("SOL-USDT", Instant.parse("2025-01-01T08:00:00Z"), new BigDecimal("0.000167100000000000")));
    assertThat(events.get(9_999)).isEqualTo(new MarketEvent.Price(
        "BTC-USDT", Instant.parse("2025-01-03T18:30:00Z"), new BigDecimal("55474.450000000000000000")));
  }

  @Test
  void addingASymbolDoesNotChangeTheOthers() {
    Scenario two = new Scenario(7, MIDNIGHT,
        List.of(SymbolModel.of("BTC-USDT", DEMO_INTERVAL), SymbolModel.of("ETH-USDT", DEMO_INTERVAL)),
        FundingModel.defaults());
    Scenario three = new Scenario(7, MIDNIGHT,
        List.of(SymbolModel.of("DOGE-USDT", 0.1, DEMO_INTERVAL), SymbolModel.of("ETH-USDT", DEMO_INTERVAL),
            SymbolModel.of("BTC-USDT", DEMO_INTERVAL)),
        FundingModel.defaults());

    List<MarketEvent> fromTwo = first(two, 4_000);
    List<MarketEvent> fromThree = first(three, 6_000);

    for (String symbol : List.of("BTC-USDT", "ETH-USDT")) {
      List<MarketEvent> a = ofSymbol(fromTwo, symbol);
      List<MarketEvent> b = ofSymbol(fromThree, symbol);
      int n = Math.min(a.size(), b.size());
      assertThat(n).isGreaterThan(1_900);
      assertThat(b.subList(0, n)).isEqualTo(a.subList(0, n));
    }
  }

  @Test
  void switchingFundingOffLeavesThePricesAlone() {
    List<MarketEvent> with = first(Scenarios.demo(42), 5_000);
    List<MarketEvent> without = first(Scenarios.demo(42).withoutFunding(), 5_000);

    assertThat(fundings(without)).isEmpty();
    List<MarketEvent> withPricesOnly = with.stream().filter(e -> e instanceof MarketEvent.Price).toList();
    assertThat(without.subList(0, withPricesOnly.size())).isEqualTo(withPricesOnly);
  }

  @Test
  void eventsComeInTimeOrderWithTiesBySymbolAndFundingFirst() {
    List<MarketEvent> events = first(Scenarios.demo(1), 5_000);

    Comparator<MarketEvent> order = Comparator.comparing(MarketEvent::eventTime)
        .thenComparing(MarketEvent::symbol)
        .thenComparing(e -> e instanceof MarketEvent.Price);
    assertThat(events).isSortedAccordingTo(order);
    // Every 8 h all three symbols fund at the same instant as they tick.
    MarketEvent.Funding firstFunding = fundings(events).get(0);
    int at = events.indexOf(firstFunding);
    assertThat(events.subList(at, at + 6)).extracting(e -> e.getClass().getSimpleName() + " " + e.symbol())
        .containsExactly("Funding BTC-USDT", "Price BTC-USDT", "Funding ETH-USDT", "Price ETH-USDT",
            "Funding SOL-USDT", "Price SOL-USDT");
  }

  @Test
  void ticksStartAtTheStartAndAreSpacedByTheInterval() {
    Instant start = Instant.parse("2025-03-04T05:06:07.890Z");
    Duration interval = Duration.ofMillis(1_250);
    List<MarketEvent> events = first(Scenarios.demo(3, start, interval), 3_000);

    for (String symbol : SymbolModel.DEMO_SYMBOLS) {
      List<MarketEvent.Price> ticks = prices(events, symbol);
      assertThat(ticks).hasSizeGreaterThan(900);
      for (int i = 0; i < ticks.size(); i++) {
        assertThat(ticks.get(i).eventTime()).isEqualTo(start.plus(interval.multipliedBy(i)));
      }
    }
  }

  @Test
  void fundingIsEveryEightHoursAtMidnightEightAndSixteenUtc() {
    Instant start = Instant.parse("2025-01-01T05:30:00Z");
    List<MarketEvent> events = first(Scenarios.demo(5, start, Duration.ofMinutes(30)), 3 * 500);

    List<MarketEvent.Funding> btc = fundings(events).stream()
        .filter(f -> f.symbol().equals("BTC-USDT")).toList();
    assertThat(btc).hasSizeGreaterThan(25);
    assertThat(btc.get(0).eventTime()).isEqualTo(Instant.parse("2025-01-01T08:00:00Z"));
    for (int i = 0; i < btc.size(); i++) {
      ZonedDateTime t = btc.get(i).eventTime().atZone(ZoneOffset.UTC);
      assertThat(t.getHour()).isIn(0, 8, 16);
      assertThat(t.getMinute()).isZero();
      assertThat(t.getSecond()).isZero();
      if (i > 0) {
        assertThat(Duration.between(btc.get(i - 1).eventTime(), btc.get(i).eventTime()))
            .isEqualTo(Duration.ofHours(8));
      }
    }
  }

  @Test
  void fundingRatesAreSmallMostlyPositiveAndSometimesNegative() {
    List<MarketEvent.Funding> rates = fundings(first(Scenarios.demo(11, MIDNIGHT, Duration.ofHours(1)), 30_000));

    assertThat(rates).hasSizeGreaterThan(2_000);
    assertThat(rates).allSatisfy(f -> {
      assertThat(f.rate().scale()).isEqualTo(18);
      assertThat(f.rate().abs()).isLessThanOrEqualTo(new BigDecimal("0.003"));
      assertThat(f.rate().stripTrailingZeros().scale()).isLessThanOrEqualTo(8);
    });
    long negative = rates.stream().filter(f -> f.rate().signum() < 0).count();
    assertThat((double) negative / rates.size()).isBetween(0.08, 0.25);
    double mean = rates.stream().mapToDouble(f -> f.rate().doubleValue()).average().orElseThrow();
    assertThat(mean).isBetween(0.00009, 0.00011);
  }

  @Test
  void pricesHaveScale18RoundedToTheSymbolsStep() {
    List<MarketEvent> events = first(Scenarios.demo(9), 6_000);

    assertThat(prices(events, "BTC-USDT").get(0).price()).isEqualByComparingTo("60000");
    assertThat(prices(events, "SOL-USDT").get(0).price()).isEqualByComparingTo("150");
    for (MarketEvent.Price p : events.stream().filter(e -> e instanceof MarketEvent.Price)
        .map(e -> (MarketEvent.Price) e).toList()) {
      assertThat(p.price().scale()).isEqualTo(18);
      assertThat(p.price().signum()).isPositive();
      int step = p.symbol().equals("SOL-USDT") ? 3 : 2;
      assertThat(p.price().stripTrailingZeros().scale()).isLessThanOrEqualTo(step);
    }
  }

  @Test
  void aCrashingPriceIsFlooredAtOneStepAndNeverZero() {
    SymbolModel crash = new SymbolModel("CRASH-USDT", 0.05, -10, 10, 0, 0, 0, 2, Duration.ofDays(1));
    List<MarketEvent> events = first(new Scenario(1, MIDNIGHT, List.of(crash), null), 2_000);

    List<MarketEvent.Price> ticks = prices(events, "CRASH-USDT");
    assertThat(ticks).allSatisfy(p -> assertThat(p.price()).isGreaterThanOrEqualTo(new BigDecimal("0.01")));
    assertThat(ticks.get(ticks.size() - 1).price()).isEqualByComparingTo("0.01");
  }

  @Test
  void aRunawayPriceIsCappedInsideTheAvroDecimal() {
    SymbolModel moon = new SymbolModel("MOON-USDT", 1, 10, 0, 0, 0, 0, 2, Duration.ofDays(1));
    List<MarketEvent> events = first(new Scenario(1, MIDNIGHT, List.of(moon), null), 5_000);

    List<MarketEvent.Price> ticks = prices(events, "MOON-USDT");
    assertThat(ticks.get(ticks.size() - 1).price()).isEqualByComparingTo("1e15");
    assertThat(ticks).allSatisfy(p -> {
      assertThat(p.price()).isLessThanOrEqualTo(BigDecimal.valueOf(SymbolModel.MAX_PRICE));
      assertThat(p.price().precision()).isLessThanOrEqualTo(38);
    });
  }

  @Test
  void nextEventTimePeeksWithoutConsuming() {
    PriceSimulator simulator = new PriceSimulator(Scenarios.demo(2));
    List<Instant> peeked = new ArrayList<>();
    List<Instant> consumed = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      peeked.add(simulator.nextEventTime());
      peeked.add(simulator.nextEventTime());
      consumed.add(simulator.next().eventTime());
    }
    assertThat(peeked).hasSize(200);
    for (int i = 0; i < 100; i++) {
      assertThat(peeked.get(2 * i)).isEqualTo(consumed.get(i)).isEqualTo(peeked.get(2 * i + 1));
    }
    assertThat(new PriceSimulator(Scenarios.demo(2)).stream().limit(100).map(MarketEvent::eventTime))
        .containsExactlyElementsOf(consumed);
  }

  @Test
  void invalidModelsAreRejectedWithTheSymbolAndTheRule() {
    assertThatThrownBy(() -> SymbolModel.of("BTC-USDT", DEMO_INTERVAL).withVolatility(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BTC-USDT")
        .hasMessageContaining("annualVolatility");
    assertThatThrownBy(() -> SymbolModel.of("X", -1, DEMO_INTERVAL))
        .hasMessageContaining("startPrice");
    assertThatThrownBy(() -> SymbolModel.of("X", 1, Duration.ofNanos(1_500_000)))
        .hasMessageContaining("whole number of ms");
    assertThatThrownBy(() -> SymbolModel.of("DOGE-USDT", DEMO_INTERVAL))
        .hasMessageContaining("DOGE-USDT=PRICE");
    assertThatThrownBy(() -> new Scenario(1, MIDNIGHT,
        List.of(SymbolModel.of("BTC-USDT", DEMO_INTERVAL), SymbolModel.of("BTC-USDT", DEMO_INTERVAL)), null))
        .hasMessageContaining("BTC-USDT is given twice");
    assertThatThrownBy(() -> new FundingModel(Duration.ofHours(7), 0.0001, 0.0001, 0.003))
        .hasMessageContaining("divides a day");
  }

  @Test
  void decimalsFollowThePriceMagnitude() {
    assertThat(SymbolModel.decimalsFor(60_000)).isEqualTo(2);
    assertThat(SymbolModel.decimalsFor(3_000)).isEqualTo(2);
    assertThat(SymbolModel.decimalsFor(150)).isEqualTo(3);
    assertThat(SymbolModel.decimalsFor(1.5)).isEqualTo(5);
    assertThat(SymbolModel.decimalsFor(0.000012)).isEqualTo(8);
  }

  private static List<MarketEvent> ofSymbol(List<MarketEvent> events, String symbol) {
    return events.stream().filter(e -> e.symbol().equals(symbol)).toList();
  }
}
