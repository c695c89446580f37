package io.navstream.fund;

/** The answer to a flow's arrival: queued in the book, refused now, or already waiting. */
public sealed interface FlowDecision {

  /** Accepted for pricing: the book now holds the flow among its pending flows. */
  record Queued(FundBook book) implements FlowDecision {}

  /** Refused on arrival, with the result to publish. */
  record Refused(FlowOutcome outcome) implements FlowDecision {}

  /** A flow with the same request id already waits; its result will answer both. */
  record AlreadyPending() implements FlowDecision {}
}
