package io.navstream.simulator;

import static io.navstream.simulator.Scenarios.MIDNIGHT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.InMemorySchemaRegistry;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SimulatorPublisherTest {
  private static final TimeScale TWO_MINUTE_DAYS = new TimeScale(Duration.ofMinutes(2));
  private static final Duration INTERVAL = TWO_MINUTE_DAYS.tickInterval(10);

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final Topics topics = new Topics(TopicNames.defaults(), new AvroSerdes(registry, true));
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  private final FakeWallClock clock = new FakeWallClock();

  private PacedSimulation paced(Instant start, Instant endOrNull) {
    return new PacedSimulation(new PriceSimulator(Scenarios.demo(42, start, INTERVAL)),
        TWO_MINUTE_DAYS, clock, endOrNull);
  }

  private List<ProducerRecord<String, byte[]>> recordsOf(String topic) {
    return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
  }

  @Test
  void ticksAreKeyedBySymbolTimestampedWithEventTimeAndDecodeToTheSimulatedPrices() {
    Instant end = MIDNIGHT.plus(Duration.ofHours(1));
    SimulatorPublisher publisher = new SimulatorPublisher(producer, topics, paced(MIDNIGHT, end));

    SimulatorPublisher.Progress progress = publisher.run();

    List<MarketEvent> expected = new PriceSimulator(Scenarios.demo(42, MIDNIGHT, INTERVAL)).next(3 * 51);
    List<ProducerRecord<String, byte[]>> ticks = recordsOf("prices");
    assertThat(ticks).hasSize(3 * 51); // 0 to 3600 s every 72 s, for each symbol
    assertThat(recordsOf("funding-rates")).isEmpty(); // the first funding is at 08:00
    Deserializer<PriceTick> values = topics.prices().valueSerde().deserializer();
    for (int i = 0; i < ticks.size(); i++) {
      ProducerRecord<String, byte[]> record = ticks.get(i);
      MarketEvent.Price price = (MarketEvent.Price) expected.get(i);
      PriceTick decoded = values.deserialize("prices", record.value());
      assertThat(decoded).isEqualTo(price.toAvro());
      assertThat(record.key()).isEqualTo(price.symbol()).isEqualTo(decoded.getSymbol());
      assertThat(record.timestamp()).isEqualTo(price.eventTime().toEpochMilli());
      // Left to the default partitioner, which hashes the key.
      assertThat(record.partition()).isNull();
    }
    assertThat(registry.subjects()).containsExactly("prices-value");
    assertThat(progress.priceTicks()).isEqualTo(153);
    assertThat(progress.lastEventTime()).isEqualTo(end);
    assertThat(producer.flushed()).isTrue();
    assertThat(publisher.isTerminated()).isTrue();
  }

  @Test
  void fundingRatesGoToTheirTopicKeyedBySymbol() {
    Instant start = Instant.parse("2025-01-01T07:00:00Z");
    SimulatorPublisher publisher = new SimulatorPublisher(
        producer, topics, paced(start, start.plus(Duration.ofHours(2))));

    SimulatorPublisher.Progress progress = publisher.run();

    List<ProducerRecord<String, byte[]>> fundings = recordsOf("funding-rates");
    Deserializer<FundingRate> values = topics.fundingRates().valueSerde().deserializer();
    assertThat(fundings).extracting(ProducerRecord::key)
        .containsExactly("BTC-USDT", "ETH-USDT", "SOL-USDT");
    Instant eight = Instant.parse("2025-01-01T08:00:00Z");
    for (ProducerRecord<String, byte[]> record : fundings) {
      FundingRate rate = values.deserialize("funding-rates", record.value());
      assertThat(rate.getSymbol()).isEqualTo(record.key());
      assertThat(rate.getEventTime()).isEqualTo(eight);
      assertThat(record.timestamp()).isEqualTo(eight.toEpochMilli());
      assertThat(rate.getRate().scale()).isEqualTo(18);
    }
    assertThat(progress.fundingRates()).isEqualTo(3);
    // At 08:00 each symbol's funding is sent before its tick.
    List<String> order = producer.history().stream()
        .filter(r -> r.timestamp() == eight.toEpochMilli()).map(r -> r.topic() + " " + r.key()).toList();
    assertThat(order).containsExactly("funding-rates BTC-USDT", "prices BTC-USDT",
        "funding-rates ETH-USDT", "prices ETH-USDT", "funding-rates SOL-USDT", "prices SOL-USDT");
  }

  @Test
  void demoFundsArePublishedKeyedByFundIdAtTheSimulationStart() {
    SimulatorPublisher publisher = new SimulatorPublisher(producer, topics, paced(MIDNIGHT, null));

    int published = publisher.publishFundDefinitions(DemoFunds.definitions());

    List<ProducerRecord<String, byte[]>> records = recordsOf("fund-definitions");
    assertThat(published).isEqualTo(8);
    assertThat(records).extracting(ProducerRecord::key)
        .containsExactly("BTC3L", "BTC3S", "ETH3L", "ETH3S", "SOL3L", "SOL3S", "BTC5L", "BTC5S");
    assertThat(records).extracting(ProducerRecord::timestamp).containsOnly(MIDNIGHT.toEpochMilli());
    Deserializer<FundDefinition> values = topics.fundDefinitions().valueSerde().deserializer();
    assertThat(records.stream().map(r -> values.deserialize("fund-definitions", r.value())).toList())
        .isEqualTo(DemoFunds.definitions());
    assertThat(publisher.progress().fundDefinitions()).isEqualTo(8);
    assertThat(producer.flushed()).isTrue();
  }

  @Test
  void itStopsAfterMaxTicksAndTellsTheListener() {
    List<MarketEvent> heard = new ArrayList<>();
    SimulatorPublisher publisher =
        new SimulatorPublisher(producer, topics, paced(MIDNIGHT, null), 10, heard::add);

    SimulatorPublisher.Progress progress = publisher.run();

    assertThat(recordsOf("prices")).hasSize(10);
    assertThat(progress.priceTicks()).isEqualTo(10);
    assertThat(heard).hasSize(10).allMatch(e -> e instanceof MarketEvent.Price);
    assertThat(heard.get(9).eventTime()).isEqualTo(MIDNIGHT.plus(INTERVAL.multipliedBy(3)));
  }

  @Test
  void aSendThatThrowsEndsTheRunWithAPublishException() {
    producer.sendException = new KafkaException("broker unreachable");
    SimulatorPublisher publisher = new SimulatorPublisher(producer, topics, paced(MIDNIGHT, null));

    assertThatThrownBy(publisher::run)
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("broker unreachable");
    assertThat(publisher.failure()).isPresent();
    assertThat(publisher.isTerminated()).isTrue();
  }

  @Test
  void aSendThatFailsLaterEndsTheRunToo() {
    MockProducer<String, byte[]> manual =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    SimulatorPublisher publisher = new SimulatorPublisher(manual, topics, paced(MIDNIGHT, null),
        SimulatorPublisher.UNLIMITED, event -> {
          // The broker rejects the first tick once it was handed over.
          manual.errorNext(new TimeoutException("expired in the accumulator"));
        });

    assertThatThrownBy(publisher::run)
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("BTC-USDT at 2025-01-01T00:00:00Z to prices failed")
        .hasMessageContaining("expired in the accumulator");
    // It noticed after the first batch, not after an endless run.
    assertThat(manual.history()).hasSize(3);
  }

  @Test
  void aFailingFundDefinitionIsReported() {
    producer.sendException = new KafkaException("not authorized");
    SimulatorPublisher publisher = new SimulatorPublisher(producer, topics, paced(MIDNIGHT, null));

    assertThatThrownBy(() -> publisher.publishFundDefinitions(DemoFunds.definitions()))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("fund-definitions")
        .hasMessageContaining("not authorized");
  }

  @Test
  void inTheBackgroundStopWakesTheSleepingPublisherAndFlushes() throws InterruptedException {
    CountDownLatch firstBatch = new CountDownLatch(3);
    // A wall clock that never moves and sleeps an hour unless woken: only stop() can end the run.
    WallClock frozen = new WallClock() {
      @Override
      public long nanoTime() {
        return 0;
      }

      @Override
      public void sleepNanos(long nanos) {
        LockSupport.parkNanos(Duration.ofHours(1).toNanos());
      }
    };
    PacedSimulation paced = new PacedSimulation(
        new PriceSimulator(Scenarios.demo(42, MIDNIGHT, INTERVAL)), TWO_MINUTE_DAYS, frozen, null);
    SimulatorPublisher publisher = new SimulatorPublisher(
        producer, topics, paced, SimulatorPublisher.UNLIMITED, e -> firstBatch.countDown());

    publisher.start();
    assertThat(firstBatch.await(30, TimeUnit.SECONDS)).isTrue();
    publisher.stop();

    assertThat(publisher.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(publisher.failure()).isEmpty();
    assertThat(publisher.progress().priceTicks()).isEqualTo(3);
    assertThat(producer.flushed()).isTrue();
    assertThatThrownBy(publisher::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(publisher::run).isInstanceOf(IllegalStateException.class);
  }
}
