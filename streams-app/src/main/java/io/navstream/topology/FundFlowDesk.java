package io.navstream.topology;

import io.navstream.avro.FlowResult;
import io.navstream.avro.internal.FundControl;
import io.navstream.fund.Flow;
import io.navstream.fund.FlowDecision;
import io.navstream.fund.FlowOutcome;
import io.navstream.fund.Fund;
import io.navstream.fund.FundBook;
import java.time.Instant;
import java.util.function.BiConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The fund-book processor's handling of fund flows: idempotency on requestId through the {@code
 * flow-results} store, arrival checks in the domain ({@link Fund#onFlow}), and the answers. A flow
 * that is accepted waits in its fund's book; the tick that prices it comes back through {@link
 * #answer}.
 */
final class FundFlowDesk {
  private final ProcessorContext<String, BookOutput> context;
  private final KeyValueStore<String, FlowResult> results;
  private final BookMetrics metrics;
  /** Stores a changed book (store, index, fund-state), as the processor does for any change. */
  private final BiConsumer<Record<?, ?>, FundBook> storeBook;

  FundFlowDesk(ProcessorContext<String, BookOutput> context, BookMetrics metrics,
      BiConsumer<Record<?, ?>, FundBook> storeBook) {
    this.context = context;
    this.results = context.getStateStore(StoreNames.FLOW_RESULTS);
    this.metrics = metrics;
    this.storeBook = storeBook;
  }

  /** The flow-results key: requestIds are unique per fund. */
  static String key(String fundId, String requestId) {
    return fundId + "/" + requestId;
  }

  /**
   * A flow arriving for a fund of this task.
   *
   * @param book the fund's book, or null when this task has none
   */
  void onFlow(Record<String, BookInput> record, FundControl control, FundBook book) {
    Flow flow = BookCodec.flow(control.getFlow()); // the router passes only complete flows
    FlowResult first = results.get(key(flow.fundId(), flow.requestId()));
    if (first != null) {
      // A repeat: the first answer again, never a second processing.
      context.forward(new Record<>(flow.fundId(), new BookOutput.FlowAnswer(first), record.timestamp(),
          new RecordHeaders()));
      return;
    }
    FlowDecision decision = Fund.onFlow(book, flow, Instant.ofEpochMilli(record.timestamp()));
    if (decision instanceof FlowDecision.Queued queued) {
      storeBook.accept(record, queued.book());
    } else if (decision instanceof FlowDecision.Refused refused) {
      answer(record, refused.outcome());
    }
    // FlowDecision.AlreadyPending: the same request waits in the book; its one answer, when it is
    // priced, answers the repeat too.
  }

  /** Remembers and publishes the answer to a flow. */
  void answer(Record<?, ?> cause, FlowOutcome outcome) {
    FlowResult result = BookCodec.flowResult(outcome);
    results.put(key(outcome.fundId(), outcome.requestId()), result);
    metrics.flow(outcome.accepted());
    context.forward(new Record<>(outcome.fundId(), new BookOutput.FlowAnswer(result), cause.timestamp(),
        new RecordHeaders()));
  }
}
