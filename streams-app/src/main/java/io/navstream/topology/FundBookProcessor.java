package io.navstream.topology;

import io.navstream.avro.FundCommand;
import io.navstream.avro.FundState;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundControlKind;
import io.navstream.avro.internal.UnderlyingMark;
import io.navstream.fund.Decimals;
import io.navstream.fund.Decision;
import io.navstream.fund.FlowOutcome;
import io.navstream.fund.Fund;
import io.navstream.fund.FundBook;
import io.navstream.fund.FundSpec;
import io.navstream.fund.InvalidDefinitionException;
import io.navstream.fund.Rebalance;
import io.navstream.fund.Step;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adapts records to the domain and back: every input of one underlying (prices, funding, fund
 * controls) arrives here, in one task, so all funds of that underlying move atomically with their
 * outputs under exactly-once.
 *
 * <p>Fund flows arrive as controls too and are handed to {@link FundFlowDesk}, which answers
 * repeats from {@code flow-results}; the tick that prices a waiting flow answers it here.
 *
 * <p>State: {@code fund-books} holds each fund's book under its fundId and is written only when the
 * book changes; {@code underlying-marks} holds each underlying's last price and watermark and is
 * the only write of a plain tick. The live books are also indexed in memory by underlying, in
 * fundId order, rebuilt from the store in {@link #init} (which Kafka Streams calls again whenever
 * the task's state is restored), so a tick reads no store. Marks are cached the same way: this
 * processor is the only writer of {@code underlying-marks}, so the last mark it wrote is what the
 * store holds.
 */
final class FundBookProcessor implements Processor<String, BookInput, String, BookOutput> {
  private final TopicNames topics;
  private ProcessorContext<String, BookOutput> context;
  private KeyValueStore<String, FundState> books;
  private KeyValueStore<String, UnderlyingMark> marks;
  private BookMetrics metrics;
  private FundFlowDesk flows;
  /** underlying → fundId → book, for funds that are not final. */
  private final Map<String, NavigableMap<String, FundBook>> live = new HashMap<>();
  /** underlying → its mark as last read or written; read-through, emptied by {@link #init}. */
  private final Map<String, UnderlyingMark> lastMarks = new HashMap<>();

  FundBookProcessor(TopicNames topics) {
    this.topics = topics;
  }

  @Override
  public void init(ProcessorContext<String, BookOutput> context) {
    this.context = context;
    this.books = context.getStateStore(StoreNames.FUND_BOOKS);
    this.marks = context.getStateStore(StoreNames.UNDERLYING_MARKS);
    this.metrics = new BookMetrics(context.metrics(), context.taskId().toString());
    this.flows = new FundFlowDesk(context, metrics, this::store);
    live.clear();
    lastMarks.clear();
    try (KeyValueIterator<String, FundState> all = books.all()) {
      while (all.hasNext()) {
        KeyValue<String, FundState> entry = all.next();
        FundBook book = BookCodec.book(entry.value);
        if (!book.status().isFinal()) {
          index(book);
        }
      }
    }
  }

  @Override
  public void process(Record<String, BookInput> record) {
    BookInput input = record.value();
    if (input instanceof BookInput.Price price) {
      onPrice(record, price.tick());
    } else if (input instanceof BookInput.Funding funding) {
      onFunding(record, funding.rate());
    } else if (input instanceof BookInput.Control control) {
      onControl(record, control.control());
    }
  }

  @Override
  public void close() {
    if (metrics != null) {
      metrics.close();
    }
  }

  // --- prices and funding -------------------------------------------------------------------

  private void onPrice(Record<String, BookInput> record, PriceTick tick) {
    String symbol = record.key();
    if (tick == null || tick.getPrice() == null || tick.getEventTime() == null) {
      reject(record, topics.prices(), tick, DeadLetters.Reason.MALFORMED_RECORD,
          "A price tick needs a symbol, a price and an eventTime");
      return;
    }
    if (symbol == null || !symbol.equals(tick.getSymbol())) {
      reject(record, topics.prices(), tick, DeadLetters.Reason.KEY_MISMATCH,
          "Record key '" + symbol + "' differs from symbol '" + tick.getSymbol() + "'");
      return;
    }
    BigDecimal price = tick.getPrice();
    if (price.signum() <= 0) {
      reject(record, topics.prices(), tick, DeadLetters.Reason.INVALID_PRICE,
          "Price " + price.toPlainString() + " of " + symbol + " at " + tick.getEventTime() + " is not positive");
      return;
    }
    Instant time = tick.getEventTime();
    UnderlyingMark mark = mark(symbol);
    if (isLate(mark, time)) {
      reject(record, topics.prices(), tick, DeadLetters.Reason.LATE_INPUT, lateMessage("Price", symbol, time, mark));
      return;
    }
    putMark(symbol, new UnderlyingMark(symbol, price, later(mark, time)));
    metrics.tick();
    NavigableMap<String, FundBook> funds = live.get(symbol);
    if (funds == null) {
      return;
    }
    // The same price without its padding to scale 18: every fund computes with small integers.
    BigDecimal lean = Decimals.lean(price);
    // Compute every fund's step before writing anything, so a failure leaves no half-applied tick.
    Step[] steps = new Step[funds.size()];
    int i = 0;
    for (FundBook book : funds.values()) {
      steps[i++] = Fund.onPrice(book, lean, time);
    }
    boolean valued = false;
    for (Step step : steps) {
      emit(record, step);
      valued |= step.nav().isPresent();
    }
    if (valued) { // the lag from this tick's eventTime to its NAV output
      metrics.priceToNav(time);
    }
  }

  private void onFunding(Record<String, BookInput> record, FundingRate rate) {
    String symbol = record.key();
    if (rate == null || rate.getRate() == null || rate.getEventTime() == null) {
      reject(record, topics.fundingRates(), rate, DeadLetters.Reason.MALFORMED_RECORD,
          "A funding rate needs a symbol, a rate and an eventTime");
      return;
    }
    if (symbol == null || !symbol.equals(rate.getSymbol())) {
      reject(record, topics.fundingRates(), rate, DeadLetters.Reason.KEY_MISMATCH,
          "Record key '" + symbol + "' differs from symbol '" + rate.getSymbol() + "'");
      return;
    }
    Instant time = rate.getEventTime();
    UnderlyingMark mark = mark(symbol);
    if (isLate(mark, time)) {
      reject(record, topics.fundingRates(), rate, DeadLetters.Reason.LATE_INPUT,
          lateMessage("Funding rate", symbol, time, mark));
      return;
    }
    BigDecimal lastPrice = mark == null ? null : mark.getLastPrice();
    putMark(symbol, new UnderlyingMark(symbol, lastPrice, later(mark, time)));
    NavigableMap<String, FundBook> funds = live.get(symbol);
    if (funds == null) {
      return;
    }
    List<Step> steps = new ArrayList<>(funds.size());
    for (FundBook book : funds.values()) {
      steps.add(Fund.onFunding(book, rate.getRate(), lastPrice, time));
    }
    steps.forEach(step -> emit(record, step));
  }

  private UnderlyingMark mark(String symbol) {
    UnderlyingMark mark = lastMarks.get(symbol);
    if (mark == null) {
      mark = marks.get(symbol);
      if (mark != null) {
        lastMarks.put(symbol, mark);
      }
    }
    return mark;
  }

  private void putMark(String symbol, UnderlyingMark mark) {
    marks.put(symbol, mark);
    lastMarks.put(symbol, mark);
  }

  private static boolean isLate(UnderlyingMark mark, Instant time) {
    return mark != null && time.isBefore(mark.getWatermark());
  }

  private static Instant later(UnderlyingMark mark, Instant time) {
    return mark == null || time.isAfter(mark.getWatermark()) ? time : mark.getWatermark();
  }

  private static String lateMessage(String what, String symbol, Instant time, UnderlyingMark mark) {
    return what + " of " + symbol + " at " + time + " is older than the watermark " + mark.getWatermark();
  }

  // --- fund controls: definitions, retirements, operator commands -------------------------------

  private void onControl(Record<String, BookInput> record, FundControl control) {
    String underlying = record.key();
    FundBook existing = find(underlying, control.getFundId());
    Instant time = Instant.ofEpochMilli(record.timestamp());
    UnderlyingMark mark = null;
    if (control.getKind() == FundControlKind.COMMAND) {
      // A command takes effect at its eventTime, or at the underlying's watermark when that is
      // later: it never moves a fund back in time, and a manual rebalance trades at the last
      // price, the price at the watermark. Its outputs carry that time.
      mark = mark(underlying);
      time = mark == null ? time : later(mark, time);
      record = record.withTimestamp(time.toEpochMilli());
    }
    if (control.getKind() == FundControlKind.FLOW && control.getFlow() != null) {
      flows.onFlow(record, control, existing);
      return;
    }
    Decision decision = switch (control.getKind()) {
      case DEFINE -> onDefinition(record, control, existing, time);
      case RETIRE -> Fund.onRetirement(existing, control.getFundId(), time);
      case COMMAND -> onCommand(record, control, existing, mark, time);
      default -> malformed(record, control, "Unknown control " + control.getKind());
    };
    if (decision instanceof Decision.Accepted accepted) {
      store(record, accepted.book());
    } else if (decision instanceof Decision.Traded traded) {
      emit(record, traded.step());
    } else if (decision instanceof Decision.Rejected rejected) {
      rejectControl(record, control, DeadLetters.Reason.valueOf(rejected.reason().name()), rejected.message());
    }
  }

  /** The decision on a definition, or null when it was dead-lettered here. */
  private Decision onDefinition(Record<String, BookInput> record, FundControl control, FundBook existing,
      Instant time) {
    FundSpec spec;
    try {
      spec = FundSpec.validate(BookCodec.draft(control.getDefinition()), time);
    } catch (InvalidDefinitionException e) { // the router validates too; kept for old records
      rejectControl(record, control, DeadLetters.Reason.INVALID_DEFINITION, e.getMessage());
      return null;
    }
    return Fund.onDefinition(existing, spec, time);
  }

  /** The decision on an operator command, or null when it was dead-lettered here. */
  private Decision onCommand(Record<String, BookInput> record, FundControl control, FundBook existing,
      UnderlyingMark mark, Instant at) {
    FundCommand command = control.getCommand();
    if (command == null) {
      return malformed(record, control, "A COMMAND control without its command");
    }
    return switch (command.getType()) {
      case REBALANCE -> Fund.onManualRebalance(existing, control.getFundId(),
          mark == null ? null : mark.getLastPrice(), at);
      case PAUSE -> Fund.onPause(existing, control.getFundId(), true, at);
      case RESUME -> Fund.onPause(existing, control.getFundId(), false, at);
      default -> malformed(record, control, "Unknown command type " + command.getType());
    };
  }

  /** Dead-letters a control this version cannot read (a newer kind or type); no decision. */
  private Decision malformed(Record<String, BookInput> record, FundControl control, String message) {
    rejectControl(record, control, DeadLetters.Reason.MALFORMED_RECORD, message);
    return null;
  }

  private FundBook find(String underlying, String fundId) {
    NavigableMap<String, FundBook> funds = live.get(underlying);
    FundBook book = funds == null ? null : funds.get(fundId);
    if (book != null) {
      return book;
    }
    FundState stored = books.get(fundId); // a final fund, kept for queries and to refuse reuse
    return stored == null ? null : BookCodec.book(stored);
  }

  // --- output ---------------------------------------------------------------------------------

  private void emit(Record<String, BookInput> cause, Step step) {
    FundBook book = step.book();
    step.rebalance().ifPresent(r -> {
      forward(cause, book.fundId(), new BookOutput.Instruction(BookCodec.instruction(r)));
      metrics.rebalance(r.reason());
    });
    step.corporateAction().ifPresent(a -> {
      forward(cause, book.fundId(), new BookOutput.Action(BookCodec.corporateAction(a)));
      metrics.corporateAction(a.type());
    });
    for (Rebalance r : step.flowTrades()) {
      forward(cause, book.fundId(), new BookOutput.Instruction(BookCodec.instruction(r)));
      metrics.rebalance(r.reason());
    }
    for (FlowOutcome outcome : step.flowOutcomes()) {
      flows.answer(cause, outcome);
    }
    step.nav().ifPresent(nav -> {
      forward(cause, book.fundId(), new BookOutput.Nav(BookCodec.navUpdate(nav)));
      metrics.navUpdate();
    });
    if (step.bookChanged()) {
      store(cause, book);
    }
  }

  /** Writes a changed book to the store, the index and the fund-state topic. */
  private void store(Record<?, ?> cause, FundBook book) {
    FundState state = BookCodec.state(book);
    books.put(book.fundId(), state);
    if (book.status().isFinal()) {
      NavigableMap<String, FundBook> funds = live.get(book.underlying());
      if (funds != null) {
        funds.remove(book.fundId());
      }
    } else {
      index(book);
    }
    forward(cause, book.fundId(), new BookOutput.State(state));
  }

  private void index(FundBook book) {
    live.computeIfAbsent(book.underlying(), u -> new TreeMap<>()).put(book.fundId(), book);
  }

  private void forward(Record<?, ?> cause, String fundId, BookOutput output) {
    // Outputs carry the cause's timestamp (its eventTime) but none of its headers.
    context.forward(new Record<>(fundId, output, cause.timestamp(), new RecordHeaders()));
  }

  private void reject(Record<String, BookInput> record, String sourceTopic, SpecificRecord value,
      DeadLetters.Reason reason, String message) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    deadLetter(record.key(), record.timestamp(), sourceTopic, value, reason, message,
        meta == null ? sourceTopic : meta.topic(), meta == null ? -1 : meta.partition(),
        meta == null ? -1L : meta.offset());
  }

  /** Dead-letters the control's own input (its definition or command) with its source topic. */
  private void rejectControl(Record<String, BookInput> record, FundControl control,
      DeadLetters.Reason reason, String message) {
    boolean command = control.getKind() == FundControlKind.COMMAND;
    deadLetter(control.getFundId(), record.timestamp(),
        command ? topics.fundCommands() : topics.fundDefinitions(),
        command ? control.getCommand() : control.getDefinition(), reason,
        message, control.getSourceTopic(), control.getSourcePartition(), control.getSourceOffset());
  }

  private void deadLetter(String key, long timestamp, String sourceTopic, SpecificRecord value,
      DeadLetters.Reason reason, String message, String originTopic, int partition, long offset) {
    metrics.deadLetter(reason);
    context.forward(new Record<>(key, new BookOutput.DeadLetter(sourceTopic, value), timestamp,
        DeadLetters.headers(reason, message, originTopic, partition, offset)));
  }
}
