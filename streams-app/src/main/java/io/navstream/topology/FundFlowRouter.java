package io.navstream.topology;

import io.navstream.avro.FlowResult;
import io.navstream.avro.FlowStatus;
import io.navstream.avro.FundFlow;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundControlKind;
import io.navstream.avro.internal.FundRegistration;
import io.navstream.fund.FlowOutcome;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Re-keys fund flows (keyed by fundId) by their fund's underlying, from the definition router's
 * {@code fund-registry}, onto the same repartition topic as definitions: a flow then reaches the
 * task that holds its fund's book, in order with that fund's definitions and its underlying's
 * prices. A flow for a fund never defined has nowhere to go and is answered here (not remembered:
 * it changed nothing). Records that are not flows at all go to the dead-letter topic.
 */
final class FundFlowRouter implements Processor<String, FundFlow, String, FlowRouterOutput> {
  private final String sourceTopic;
  private ProcessorContext<String, FlowRouterOutput> context;
  private KeyValueStore<String, FundRegistration> registry;
  private BookMetrics metrics;

  FundFlowRouter(String sourceTopic) {
    this.sourceTopic = sourceTopic;
  }

  @Override
  public void init(ProcessorContext<String, FlowRouterOutput> context) {
    this.context = context;
    this.registry = context.getStateStore(StoreNames.FUND_REGISTRY);
    this.metrics = new BookMetrics(context.metrics(), context.taskId().toString());
  }

  @Override
  public void close() {
    if (metrics != null) {
      metrics.close();
    }
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
      metrics.flow(false);
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
      context.forward(new Record<>(record.key(), new FlowRouterOutput.Answered(answer),
          record.timestamp(), new RecordHeaders()));
      return;
    }
    // A retired fund's flows go on too: its book refuses them and remembers the answer.
    RecordMetadata meta = context.recordMetadata().orElse(null);
    FundControl control = FundControl.newBuilder()
        .setFundId(flow.getFundId())
        .setKind(FundControlKind.FLOW)
        .setFlow(flow)
        .setSourceTopic(meta == null ? sourceTopic : meta.topic())
        .setSourcePartition(meta == null ? -1 : meta.partition())
        .setSourceOffset(meta == null ? -1L : meta.offset())
        .build();
    context.forward(new Record<>(registration.getUnderlying(), new FlowRouterOutput.Routed(control),
        record.timestamp(), new RecordHeaders()));
  }

  private void reject(Record<String, FundFlow> record, DeadLetters.Reason reason, String message) {
    metrics.deadLetter(reason);
    RecordMetadata meta = context.recordMetadata().orElse(null);
    context.forward(new Record<>(record.key(),
        new FlowRouterOutput.Rejected(new BookOutput.DeadLetter(sourceTopic, record.value())),
        record.timestamp(),
        DeadLetters.headers(reason, message, meta == null ? sourceTopic : meta.topic(),
            meta == null ? -1 : meta.partition(), meta == null ? -1L : meta.offset())));
  }
}
