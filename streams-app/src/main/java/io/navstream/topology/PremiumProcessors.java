package io.navstream.topology;

import io.navstream.avro.NavUpdate;
import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.TokenPrice;
import io.navstream.fund.Decimals;
import io.navstream.fund.Premium;
import java.math.BigDecimal;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The two processors around the premium join: checks before it, the premium after it. Both keep
 * the key (fixed-key processors), so the join needs no repartition.
 */
final class PremiumProcessors {
  private PremiumProcessors() {}

  /** Dead-letters token prices that cannot be joined (a null value never reaches a join). */
  static final class Check extends Base<TokenPrice> {
    Check(String sourceTopic) {
      super(sourceTopic);
    }

    @Override
    public void process(FixedKeyRecord<String, TokenPrice> record) {
      TokenPrice token = record.value();
      if (token == null || token.getFundId() == null || token.getPrice() == null || token.getEventTime() == null) {
        reject(record, token, DeadLetters.Reason.MALFORMED_RECORD,
            "A token price needs a fundId, a price and an eventTime");
      } else if (!token.getFundId().equals(record.key())) {
        reject(record, token, DeadLetters.Reason.KEY_MISMATCH,
            "Record key '" + record.key() + "' differs from fundId '" + token.getFundId() + "'");
      } else if (token.getPrice().signum() <= 0) {
        reject(record, token, DeadLetters.Reason.INVALID_PRICE, "Token price "
            + token.getPrice().toPlainString() + " of " + token.getFundId() + " is not positive");
      } else {
        context.forward(record.withValue((PremiumOutput) new PremiumOutput.Valid(token)));
      }
    }
  }

  /**
   * The premium of a joined token price; the fund's alert threshold comes from its definition in
   * fund-state (null: the global one).
   */
  static final class Calculate extends Base<PremiumOutput> {
    private final Topic<String, NavUpdate> navUpdates;
    private final BigDecimal globalThreshold;

    Calculate(String sourceTopic, Topic<String, NavUpdate> navUpdates, BigDecimal globalThreshold) {
      super(sourceTopic);
      this.navUpdates = navUpdates;
      this.globalThreshold = globalThreshold;
    }

    @Override
    public void process(FixedKeyRecord<String, PremiumOutput> record) {
      PremiumOutput.Joined joined = (PremiumOutput.Joined) record.value();
      TokenPrice token = joined.price();
      NavUpdate nav;
      try {
        nav = joined.nav() == null ? null
            : navUpdates.valueSerde().deserializer().deserialize(navUpdates.name(), joined.nav());
      } catch (RuntimeException e) { // the history holds what nav-updates held, decodable or not
        reject(record, token, DeadLetters.Reason.MALFORMED_RECORD, "The NAV of fund '"
            + token.getFundId() + "' in force at " + token.getEventTime() + " cannot be read: " + e.getMessage());
        return;
      }
      if (nav == null || nav.getNav().signum() <= 0) {
        reject(record, token, DeadLetters.Reason.NO_NAV, nav == null
            ? "No NAV of fund '" + token.getFundId() + "' at or before " + token.getEventTime()
            : "The NAV of fund '" + token.getFundId() + "' at " + nav.getEventTime() + " is 0");
        return;
      }
      Premium premium = Premium.of(token.getPrice(), nav.getNav(), joined.fundThreshold(),
          globalThreshold);
      PremiumDiscount value = PremiumDiscount.newBuilder()
          .setFundId(token.getFundId())
          .setMarketPrice(Decimals.round(token.getPrice()))
          .setNav(nav.getNav())
          .setNavTime(nav.getEventTime())
          .setPremium(premium.premium())
          .setAlert(premium.alert())
          .setThreshold(premium.threshold())
          .setEventTime(token.getEventTime())
          .build();
      context.forward(record.withValue((PremiumOutput) new PremiumOutput.Result(value))
          .withHeaders(new RecordHeaders()));
    }
  }

  private abstract static class Base<V> implements FixedKeyProcessor<String, V, PremiumOutput> {
    private final String sourceTopic;
    FixedKeyProcessorContext<String, PremiumOutput> context;
    private BookMetrics metrics;

    Base(String sourceTopic) {
      this.sourceTopic = sourceTopic;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PremiumOutput> context) {
      this.context = context;
      this.metrics = new BookMetrics(context.metrics(), context.taskId().toString());
    }

    @Override
    public void close() {
      if (metrics != null) {
        metrics.close();
      }
    }

    void reject(FixedKeyRecord<String, ?> record, TokenPrice value, DeadLetters.Reason reason, String message) {
      metrics.deadLetter(reason);
      RecordMetadata meta = context.recordMetadata().orElse(null);
      context.forward(record
          .withValue((PremiumOutput) new PremiumOutput.Rejected(new BookOutput.DeadLetter(sourceTopic, value)))
          .withHeaders(DeadLetters.headers(reason, message, meta == null ? sourceTopic : meta.topic(),
              meta == null ? -1 : meta.partition(), meta == null ? -1L : meta.offset())));
    }
  }
}
