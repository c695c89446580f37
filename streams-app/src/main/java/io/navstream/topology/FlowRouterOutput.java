package io.navstream.topology;

import io.navstream.avro.FlowResult;
import io.navstream.avro.internal.FundControl;

/** What the flow router emits: a flow re-keyed by underlying, an answer it can give, or a rejection. */
sealed interface FlowRouterOutput {
  record Routed(FundControl control) implements FlowRouterOutput {}

  /** A flow for a fund never defined: it has no underlying to go to, so the router answers. */
  record Answered(FlowResult result) implements FlowRouterOutput {}

  record Rejected(BookOutput.DeadLetter deadLetter) implements FlowRouterOutput {}
}
