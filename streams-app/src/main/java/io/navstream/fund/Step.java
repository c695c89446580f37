package io.navstream.fund;

import java.util.List;
import java.util.Optional;

/**
 * What one input did to one fund.
 *
 * @param book the book after the input (the same instance when nothing changed)
 * @param bookChanged whether the book must be stored and published; a plain tick leaves it alone
 * @param rebalance the instruction, when the fund traded on the input itself
 * @param nav the NAV to publish, when the fund is live
 * @param corporateAction the split or merge that came with the rebalance, if any
 * @param flowTrades the FLOW instructions of the flows priced at this tick, in order
 * @param flowOutcomes the answers to the flows priced or refused at this tick, in order
 */
public record Step(
    FundBook book,
    boolean bookChanged,
    Optional<Rebalance> rebalance,
    Optional<NavPoint> nav,
    Optional<CorporateAction> corporateAction,
    List<Rebalance> flowTrades,
    List<FlowOutcome> flowOutcomes) {

  public Step(FundBook book, boolean bookChanged, Optional<Rebalance> rebalance, Optional<NavPoint> nav) {
    this(book, bookChanged, rebalance, nav, Optional.empty(), List.of(), List.of());
  }

  static Step unchanged(FundBook book) {
    return new Step(book, false, Optional.empty(), Optional.empty());
  }

  static Step navOnly(FundBook book, NavPoint nav) {
    return new Step(book, false, Optional.empty(), Optional.of(nav));
  }
}
