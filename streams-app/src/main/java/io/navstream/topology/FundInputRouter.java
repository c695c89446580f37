package io.navstream.topology;

import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundRegistration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What every input keyed by fundId shares on its way to the books: a fund's book lives on its
 * underlying's partition, so such inputs (definitions, operator commands) are re-keyed by the
 * underlying the {@code fund-registry} store remembers for the fund, as a {@link FundControl} of
 * one kind, or dead-lettered with the reason. All routers share that store, so their source topics
 * must be co-partitioned (the provisioner checks it).
 *
 * @param <V> the value type of the source topic
 */
abstract class FundInputRouter<V extends org.apache.avro.specific.SpecificRecord>
    implements Processor<String, V, String, RouterOutput> {
  private final String sourceTopic;
  private ProcessorContext<String, RouterOutput> context;
  private BookMetrics metrics;
  /** fundId → the fund's underlying and history; shared by every router. */
  protected KeyValueStore<String, FundRegistration> registry;

  FundInputRouter(String sourceTopic) {
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

  /** Forwards {@code control} (fundId, kind and payload set) keyed by {@code underlying}. */
  protected final void route(Record<String, V> record, String underlying, FundControl.Builder control) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    control.setSourceTopic(meta == null ? sourceTopic : meta.topic())
        .setSourcePartition(meta == null ? -1 : meta.partition())
        .setSourceOffset(meta == null ? -1L : meta.offset());
    context.forward(new Record<>(underlying, new RouterOutput.Routed(control.build()),
        record.timestamp(), new RecordHeaders()));
  }

  /** Forwards any other output (a fund flow's immediate answer). */
  protected final void forward(Record<String, RouterOutput> output) {
    context.forward(output);
  }

  /** Dead-letters the record as it came, with the reason in its headers. */
  protected final void reject(Record<String, V> record, DeadLetters.Reason reason, String message) {
    metrics.deadLetter(reason);
    RecordMetadata meta = context.recordMetadata().orElse(null);
    context.forward(new Record<>(record.key(),
        new RouterOutput.Rejected(new BookOutput.DeadLetter(sourceTopic, record.value())),
        record.timestamp(),
        DeadLetters.headers(reason, message, meta == null ? sourceTopic : meta.topic(),
            meta == null ? -1 : meta.partition(), meta == null ? -1L : meta.offset())));
  }
}
