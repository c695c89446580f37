package io.navstream.topology;

import io.navstream.avro.internal.FundControl;

/** What the definition router emits: a control re-keyed by underlying, or a rejection. */
sealed interface RouterOutput {
  record Routed(FundControl control) implements RouterOutput {}

  record Rejected(BookOutput.DeadLetter deadLetter) implements RouterOutput {}
}
