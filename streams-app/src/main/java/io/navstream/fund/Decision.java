package io.navstream.fund;

/**
 * The answer to a definition, retirement or operator command: a new book, a trade (a manual
 * rebalance), or a rejection with its reason.
 */
public sealed interface Decision {

  record Accepted(FundBook book) implements Decision {}

  /** The input traded: the step carries the book, the instruction and the NAV. */
  record Traded(Step step) implements Decision {}

  record Rejected(Reason reason, String message) implements Decision {}

  /** Why the domain refused an input; the names are the dead-letter reason codes. */
  enum Reason {
    INVALID_DEFINITION,
    IMMUTABLE_FIELD_CHANGED,
    FUND_CLOSED,
    UNKNOWN_FUND,
    /** A command that needs a position (a manual rebalance) for a fund that has not incepted. */
    NOT_INCEPTED
  }
}
