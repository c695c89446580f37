package io.navstream.fund;

import java.util.Optional;

/**
 * What one input did to one fund.
 *
 * @param book the book after the input (the same instance when nothing changed)
 * @param bookChanged whether the book must be stored and published; a plain tick leaves it alone
 * @param rebalance the instruction, when the fund traded
 * @param nav the NAV to publish, when the fund is live
 */
public record Step(FundBook book, boolean bookChanged, Optional<Rebalance> rebalance, Optional<NavPoint> nav) {

  static Step unchanged(FundBook book) {
    return new Step(book, false, Optional.empty(), Optional.empty());
  }

  static Step navOnly(FundBook book, NavPoint nav) {
    return new Step(book, false, Optional.empty(), Optional.of(nav));
  }
}
