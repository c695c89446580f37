package io.navstream.topology;

import io.navstream.avro.CorporateAction;
import io.navstream.avro.FlowResult;
import io.navstream.avro.FundState;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.RebalanceInstruction;
import org.apache.avro.specific.SpecificRecord;

/** What the fund-book processor emits; split by type into the output topics. Never serialized. */
sealed interface BookOutput {
  record Nav(NavUpdate update) implements BookOutput {}

  record Instruction(RebalanceInstruction instruction) implements BookOutput {}

  record State(FundState state) implements BookOutput {}

  /** The answer to a fund flow, for flow-results. */
  record FlowAnswer(FlowResult result) implements BookOutput {}

  /** A split or merge, for corporate-actions. */
  record Action(CorporateAction action) implements BookOutput {}

  /**
   * A rejected input, to be written with the source topic's serializer (so the dead-letter record
   * holds the same bytes a producer would have written). The reason travels in the headers.
   *
   * @param sourceTopic the topic the rejected record was read from
   * @param value the rejected value, or null (a tombstone)
   */
  record DeadLetter(String sourceTopic, SpecificRecord value) implements BookOutput {}
}
