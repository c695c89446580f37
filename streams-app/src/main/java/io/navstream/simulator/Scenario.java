package io.navstream.simulator;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that determines a simulated market: the same scenario always gives the same events.
 *
 * @param seed the master seed; each symbol's random streams are derived from it and the symbol's
 *     name, so adding or removing a symbol leaves the others' paths unchanged
 * @param start the first tick's eventTime
 * @param symbols at least one, with distinct names
 * @param funding the funding-rate model, or null for no funding events
 */
public record Scenario(long seed, Instant start, List<SymbolModel> symbols, FundingModel funding) {

  public Scenario {
    Objects.requireNonNull(start, "start");
    symbols = List.copyOf(symbols);
    if (symbols.isEmpty()) {
      throw new IllegalArgumentException("A scenario needs at least one symbol");
    }
    Set<String> names = new HashSet<>();
    for (SymbolModel s : symbols) {
      if (!names.add(s.symbol())) {
        throw new IllegalArgumentException("Symbol " + s.symbol() + " is given twice");
      }
    }
  }

  /** This scenario without funding events. */
  public Scenario withoutFunding() {
    return new Scenario(seed, start, symbols, null);
  }
}
