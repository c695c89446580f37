package io.navstream.topology;

import io.navstream.avro.FlowResult;
import io.navstream.avro.internal.FundControl;

/**
 * What a router emits: a control re-keyed by underlying, a rejection, or (fund flows only) an
 * answer given at once.
 */
sealed interface RouterOutput {
  record Routed(FundControl control) implements RouterOutput {}

  record Rejected(BookOutput.DeadLetter deadLetter) implements RouterOutput {}

  /** A fund flow refused before it has an underlying to go to (its fund was never defined). */
  record Answered(FlowResult result) implements RouterOutput {}
}
