package io.navstream.topology;

import io.navstream.avro.FlowResult;
import io.navstream.avro.FlowStatus;
import io.navstream.avro.FundFlow;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundControlKind;
import io.navstream.avro.internal.FundRegistration;
import io.navstream.fund.FlowOutcome;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Routes fund flows (topic {@code fund-flows}, keyed by fundId) to the fund's underlying, like
 * definitions and commands, as {@link FundControlKind#FLOW} controls: a flow then reaches the task
 * that holds its fund's book, in order with that fund's definitions and its underlying's prices. A
 * flow for a fund never defined has nowhere to go and is answered here (not remembered: it changed
 * nothing). A retired fund's flows go on: its book refuses them and remembers the answer. Records
 * that are not flows at all are dead-lettered.
 */
final class FundFlowRouter extends FundInputRouter<FundFlow> {

  FundFlowRouter(String sourceTopic) {
    super(sourceTopic);
  }

  @Override
  public void process(Record<String, FundFlow> record) {
    FundFlow flow = record.value();
    if (flow == null || BookCodec.flow(flow) == null) {
      reject(record, DeadLetters.Reason.MALFORMED_RECORD,
          "A fund flow needs a requestId, a fundId, a type CREATE or REDEEM, an amount and an eventTime");
      return;
    }
    if (record.key() == null || !record.key().equals(flow.getFundId())) {
      reject(record, DeadLetters.Reason.KEY_MISMATCH,
          "Record key '" + record.key() + "' differs from fundId '" + flow.getFundId() + "'");
      return;
    }
    FundRegistration registration = registry.get(flow.getFundId());
    if (registration == null) {
      FlowResult answer = FlowResult.newBuilder()
          .setRequestId(flow.getRequestId())
          .setFundId(flow.getFundId())
          .setType(flow.getType())
          .setStatus(FlowStatus.REJECTED)
          .setAmount(flow.getAmount())
          .setReasonCode(FlowOutcome.Rejection.UNKNOWN_FUND.name())
          .setReason("Fund '" + flow.getFundId() + "' is unknown")
          .setEventTime(flow.getEventTime())
          .build();
      answer(record, answer);
      return;
    }
    route(record, registration.getUnderlying(),
        FundControl.newBuilder().setFundId(flow.getFundId()).setKind(FundControlKind.FLOW).setFlow(flow));
  }

  private void answer(Record<String, FundFlow> record, FlowResult result) {
    forward(new Record<>(record.key(), new RouterOutput.Answered(result), record.timestamp(),
        new RecordHeaders()));
  }
}
