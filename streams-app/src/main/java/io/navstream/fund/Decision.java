package io.navstream.fund;

/** The answer to a definition or retirement: a new book, or a rejection with its reason. */
public sealed interface Decision {

  record Accepted(FundBook book) implements Decision {}

  record Rejected(Reason reason, String message) implements Decision {}

  /** Why the domain refused an input; the names are the dead-letter reason codes. */
  enum Reason {
    INVALID_DEFINITION,
    IMMUTABLE_FIELD_CHANGED,
    FUND_CLOSED,
    UNKNOWN_FUND
  }
}
