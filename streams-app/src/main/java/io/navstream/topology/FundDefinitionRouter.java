package io.navstream.topology;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundControlKind;
import io.navstream.avro.internal.FundRegistration;
import io.navstream.fund.FundSpec;
import io.navstream.fund.InvalidDefinitionException;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Re-keys fund definitions (keyed by fundId) by underlying, so that each fund's book lives in the
 * task that sees its underlying's prices. A tombstone carries no underlying, so the router keeps
 * its own fundId → underlying registry. A fund stays on the underlying it was first defined with.
 *
 * <p>Definitions are validated here, before they take a partition: an invalid definition never
 * pins an underlying and never reaches the books.
 */
final class FundDefinitionRouter implements Processor<String, FundDefinition, String, RouterOutput> {
  private final String sourceTopic;
  private ProcessorContext<String, RouterOutput> context;
  private KeyValueStore<String, FundRegistration> registry;
  private BookMetrics metrics;

  FundDefinitionRouter(String sourceTopic) {
    this.sourceTopic = sourceTopic;
  }

  @Override
  public void init(ProcessorContext<String, RouterOutput> context) {
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
  public void process(Record<String, FundDefinition> record) {
    String fundId = record.key();
    FundDefinition definition = record.value();
    if (fundId == null) {
      reject(record, DeadLetters.Reason.KEY_MISMATCH, "A fund definition needs its fundId as the record key");
      return;
    }
    FundRegistration registration = registry.get(fundId);
    if (definition == null) {
      retire(record, fundId, registration);
      return;
    }
    if (!fundId.equals(definition.getFundId())) {
      reject(record, DeadLetters.Reason.KEY_MISMATCH,
          "Record key '" + fundId + "' differs from fundId '" + definition.getFundId() + "'");
      return;
    }
    if (registration != null && registration.getRetired()) {
      reject(record, DeadLetters.Reason.FUND_CLOSED,
          "Fund '" + fundId + "' was retired; a fundId is never reused");
      return;
    }
    try {
      FundSpec.validate(BookCodec.draft(definition), Instant.ofEpochMilli(record.timestamp()));
    } catch (InvalidDefinitionException e) {
      reject(record, DeadLetters.Reason.INVALID_DEFINITION, e.getMessage());
      return;
    }
    String underlying;
    if (registration == null) {
      underlying = definition.getUnderlying();
      registry.put(fundId, new FundRegistration(fundId, underlying, false));
    } else {
      // Pinned: a different underlying here is refused by the book, with the reason.
      underlying = registration.getUnderlying();
    }
    forward(record, underlying, FundControlKind.DEFINE, fundId, definition);
  }

  private void retire(Record<String, FundDefinition> record, String fundId, FundRegistration registration) {
    if (registration == null) {
      reject(record, DeadLetters.Reason.UNKNOWN_FUND, "Cannot retire unknown fund '" + fundId + "'");
    } else if (registration.getRetired()) {
      reject(record, DeadLetters.Reason.FUND_CLOSED, "Fund '" + fundId + "' is already retired");
    } else {
      registry.put(fundId, new FundRegistration(fundId, registration.getUnderlying(), true));
      forward(record, registration.getUnderlying(), FundControlKind.RETIRE, fundId, null);
    }
  }

  private void forward(Record<String, FundDefinition> record, String underlying, FundControlKind kind,
      String fundId, FundDefinition definition) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    FundControl control = FundControl.newBuilder()
        .setFundId(fundId)
        .setKind(kind)
        .setDefinition(definition)
        .setSourceTopic(meta == null ? sourceTopic : meta.topic())
        .setSourcePartition(meta == null ? -1 : meta.partition())
        .setSourceOffset(meta == null ? -1L : meta.offset())
        .build();
    context.forward(new Record<>(underlying, new RouterOutput.Routed(control), record.timestamp(),
        new RecordHeaders()));
  }

  private void reject(Record<String, FundDefinition> record, DeadLetters.Reason reason, String message) {
    metrics.deadLetter(reason);
    RecordMetadata meta = context.recordMetadata().orElse(null);
    context.forward(new Record<>(record.key(),
        new RouterOutput.Rejected(new BookOutput.DeadLetter(sourceTopic, record.value())),
        record.timestamp(),
        DeadLetters.headers(reason, message, meta == null ? sourceTopic : meta.topic(),
            meta == null ? -1 : meta.partition(), meta == null ? -1L : meta.offset())));
  }
}
