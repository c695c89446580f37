package io.navstream.replay.testsupport;

import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundState;
import io.navstream.avro.FundStatus;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PriceTick;
import io.navstream.topology.Topic;
import io.navstream.topology.Topics;
import io.navstream.topology.TopologySettings;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * A stand-in topology for testing replay's plumbing while the real one is a placeholder. Every
 * input becomes one nav update whose fundId says what it was ({@code price:BTC}, {@code
 * funding:BTC}, {@code definition:F1}) and whose eventTime is the input's, so tests can check the
 * feeding order. Also: prices go through a repartition topic (which replay must drain), valid
 * definitions become fund states with the definition nested, retirements fund-state tombstones, and
 * a definition with direction UNKNOWN or a negative funding rate fails processing, so that Kafka's
 * dead-letter queue gets them (with {@link #CONTINUE_ON_ERRORS}).
 */
public final class EchoTopology {
  /** Name of the prices repartition topic, without the application id prefix. */
  public static final String TICKS_REPARTITION = "echo-ticks";

  /** Streams settings under which processing errors go to the dead-letter topic and continue. */
  public static final Map<String, Object> CONTINUE_ON_ERRORS =
      Map.of(
          StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
          LogAndContinueProcessingExceptionHandler.class);

  private EchoTopology() {}

  /**
   * For the writer's failure path: the prices of symbols {@code symbols} accepts become valid nav
   * updates, counted in {@code produced}, until {@code valid} of them; after that, bytes that are
   * not Avro, which the output side cannot decode.
   */
  public static Topology validThenUndecodable(Topics topics, Predicate<String> symbols,
      AtomicInteger produced, int valid) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topics.prices().name(), consumed(topics.prices()))
        .filter((symbol, tick) -> symbols.test(symbol))
        .mapValues(tick -> produced.incrementAndGet() <= valid
            ? topics.navUpdates().valueSerde().serializer().serialize(topics.navUpdates().name(),
                new NavUpdate("F", "BTC", tick.getEventTime(), tick.getPrice(), tick.getPrice(),
                    tick.getPrice(), tick.getPrice(), tick.getPrice(), tick.getPrice(),
                    tick.getPrice(), FundStatus.ACTIVE, null, null))
            : new byte[] {42})
        .to(topics.navUpdates().name(), Produced.with(Serdes.String(), Serdes.ByteArray()));
    return builder.build();
  }

  public static Topology build(TopologySettings settings, Topics topics) {
    StreamsBuilder builder = new StreamsBuilder();
    Produced<String, NavUpdate> toNav = produced(topics.navUpdates());

    builder.stream(topics.prices().name(), consumed(topics.prices()))
        .repartition(
            Repartitioned.<String, PriceTick>as(TICKS_REPARTITION)
                .withKeySerde(topics.prices().keySerde())
                .withValueSerde(topics.prices().valueSerde()))
        .mapValues((k, v) -> nav("price:" + k, k, v.getEventTime(), v.getPrice()))
        .to(topics.navUpdates().name(), toNav);

    builder.stream(topics.fundingRates().name(), consumed(topics.fundingRates()))
        .mapValues(
            (k, v) -> {
              if (v.getRate().signum() < 0) {
                throw new IllegalArgumentException("negative funding rate " + v.getRate());
              }
              return nav("funding:" + k, k, v.getEventTime(), v.getRate());
            })
        .to(topics.navUpdates().name(), toNav);

    KStream<String, FundDefinition> definitions =
        builder.stream(topics.fundDefinitions().name(), consumed(topics.fundDefinitions()));
    definitions
        .mapValues(
            (k, v) -> {
              if (v != null && v.getDirection() == Direction.UNKNOWN) {
                throw new IllegalArgumentException("direction UNKNOWN");
              }
              return v == null ? null : state(v);
            })
        .to(topics.fundState().name(), produced(topics.fundState()));
    definitions
        .filter((k, v) -> v == null || v.getDirection() != Direction.UNKNOWN)
        .mapValues(
            (k, v) ->
                nav(
                    (v == null ? "retirement:" : "definition:") + k,
                    v == null ? "" : v.getUnderlying(),
                    v == null || v.getEffectiveTime() == null
                        ? Instant.EPOCH
                        : v.getEffectiveTime(),
                    BigDecimal.ZERO.setScale(18)))
        .to(topics.navUpdates().name(), toNav);
    return builder.build();
  }

  private static <V> Consumed<String, V> consumed(Topic<String, V> topic) {
    return Consumed.with(topic.keySerde(), topic.valueSerde());
  }

  private static <V> Produced<String, V> produced(Topic<String, V> topic) {
    return Produced.with(topic.keySerde(), topic.valueSerde());
  }

  private static NavUpdate nav(String fundId, String underlying, Instant time, BigDecimal price) {
    BigDecimal one = BigDecimal.ONE.setScale(18);
    return new NavUpdate(
        fundId, underlying, time, price, price, one, price, one, one, price, FundStatus.ACTIVE, null, null);
  }

  private static FundState state(FundDefinition d) {
    BigDecimal zero = BigDecimal.ZERO.setScale(18);
    return FundState.newBuilder()
        .setFundId(d.getFundId())
        .setUnderlying(d.getUnderlying())
        .setStatus(FundStatus.PENDING)
        .setEventTime(d.getEffectiveTime() == null ? Instant.EPOCH : d.getEffectiveTime())
        .setShares(d.getInitialShares())
        .setPositionQuantity(zero)
        .setCash(d.getInitialNav())
        .setRebalanceSequence(0L)
        .setCumulativeManagementFees(zero)
        .setCumulativeTradingFees(zero)
        .setCumulativeFunding(zero)
        .setDefinition(d)
        .build();
  }
}
