package io.navstream.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A simulated market in simulated time: an endless iterator of every symbol's price ticks and
 * funding rates, merged in eventTime order (ties by symbol name, and a symbol's funding before its
 * price). Pure: no clock, no Kafka; the same {@link Scenario} gives the same events, value for value,
 * on every run and platform. Pacing against the wall clock is {@link PacedSimulation}'s job.
 *
 * <p>Not thread-safe.
 */
public final class PriceSimulator implements Iterator<MarketEvent> {
  private final Scenario scenario;
  /** Sorted by symbol, so that ties in time resolve by name. */
  private final List<SymbolPath> paths;

  public PriceSimulator(Scenario scenario) {
    this.scenario = scenario;
    List<SymbolPath> sorted = new ArrayList<>();
    for (SymbolModel model : scenario.symbols()) {
      sorted.add(new SymbolPath(scenario.seed(), scenario.start(), model, scenario.funding()));
    }
    sorted.sort(Comparator.comparing(SymbolPath::symbol));
    this.paths = List.copyOf(sorted);
  }

  public Scenario scenario() {
    return scenario;
  }

  /** Always true: the market never closes. */
  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public MarketEvent next() {
    return earliest().next();
  }

  /** The eventTime of the event {@link #next()} returns, without consuming it. */
  public Instant nextEventTime() {
    return Instant.ofEpochMilli(earliest().nextTimeMs());
  }

  /** The next {@code count} events. */
  public List<MarketEvent> next(int count) {
    List<MarketEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(next());
    }
    return events;
  }

  /** The remaining events as an infinite, ordered stream; consuming it advances this simulator. */
  public Stream<MarketEvent> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false);
  }

  private SymbolPath earliest() {
    // A handful of symbols: a linear scan in name order is simplest and resolves ties by name.
    SymbolPath best = paths.get(0);
    for (int i = 1; i < paths.size(); i++) {
      if (paths.get(i).nextTimeMs() < best.nextTimeMs()) {
        best = paths.get(i);
      }
    }
    return best;
  }
}
