package io.navstream.simulator;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import io.navstream.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link PacedSimulation} to navstream's input topics: price ticks to {@code prices}
 * and funding rates to {@code funding-rates}, keyed by symbol, with the record timestamp set to the
 * eventTime and values in navstream's Avro wire format (serialized here with the {@link Topics}'
 * serdes, so any {@code Producer<String, byte[]>} will do: a {@code KafkaProducer}, one on an
 * embedded broker, or a {@code MockProducer}). The producer is the caller's: it is flushed at the
 * end of a run but never closed.
 *
 * <p>Run it on the caller's thread with {@link #run()}, or in the background with {@link #start()},
 * {@link #stop()} and {@link #awaitTermination}. It ends at the simulation's end, after {@code
 * maxPriceTicks} ticks, on {@link #stop()}, or at the first failure (see {@link #failure()}).
 * {@link #progress()} may be read from any thread.
 */
public final class SimulatorPublisher {
  private static final Logger log = LoggerFactory.getLogger(SimulatorPublisher.class);

  /** No limit on the number of price ticks. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /** Called on the publishing thread after each event is handed to the producer. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = event -> {};

    void published(MarketEvent event);
  }

  /**
   * Counts so far.
   *
   * @param lastEventTime eventTime of the last market event published, or null before the first
   */
  public record Progress(
      long priceTicks, long fundingRates, long fundDefinitions, Instant lastEventTime) {}

  private final Producer<String, byte[]> producer;
  private final PacedSimulation simulation;
  private final long maxPriceTicks;
  private final Listener listener;
  private final String pricesTopic;
  private final String fundingTopic;
  private final String definitionsTopic;
  private final Serializer<PriceTick> priceSerializer;
  private final Serializer<FundingRate> fundingSerializer;
  private final Serializer<FundDefinition> definitionSerializer;

  private final AtomicLong priceTicks = new AtomicLong();
  private final AtomicLong fundingRates = new AtomicLong();
  private final AtomicLong fundDefinitions = new AtomicLong();
  private volatile Instant lastEventTime;

  private final AtomicBoolean ran = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile Thread worker;
  /** The first asynchronous send failure, reported by a producer callback. */
  private final AtomicReference<PublishException> sendFailure = new AtomicReference<>();
  private final AtomicReference<PublishException> failure = new AtomicReference<>();

  /**
   * @param producer the caller's producer; Kafka's default partitioner must be in use so that ticks
   *     land on the partitions navstream expects (see {@link SimulatorClients#producerProperties})
   * @param maxPriceTicks stop after this many price ticks, or {@link #UNLIMITED}
   * @param listener told of each published event, on the publishing thread
   */
  public SimulatorPublisher(Producer<String, byte[]> producer, Topics topics,
      PacedSimulation simulation, long maxPriceTicks, Listener listener) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.simulation = Objects.requireNonNull(simulation, "simulation");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (maxPriceTicks < 1) {
      throw new IllegalArgumentException("maxPriceTicks " + maxPriceTicks + " must be positive");
    }
    this.maxPriceTicks = maxPriceTicks;
    this.pricesTopic = topics.prices().name();
    this.fundingTopic = topics.fundingRates().name();
    this.definitionsTopic = topics.fundDefinitions().name();
    this.priceSerializer = topics.prices().valueSerde().serializer();
    this.fundingSerializer = topics.fundingRates().valueSerde().serializer();
    this.definitionSerializer = topics.fundDefinitions().valueSerde().serializer();
  }

  /** Without a tick limit or listener. */
  public SimulatorPublisher(
      Producer<String, byte[]> producer, Topics topics, PacedSimulation simulation) {
    this(producer, topics, simulation, UNLIMITED, Listener.NONE);
  }

  /**
   * Publishes fund definitions keyed by fundId, timestamped with the simulation's start so that
   * definitions without an effectiveTime can incept on the first ticks; waits until Kafka has
   * acknowledged them all.
   *
   * @return how many were published
   * @throws PublishException when one could not be serialized or was not acknowledged
   */
  public int publishFundDefinitions(List<FundDefinition> definitions) {
    long timestamp = simulation.start().toEpochMilli();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try {
      for (FundDefinition d : definitions) {
        byte[] value = definitionSerializer.serialize(definitionsTopic, d);
        acks.add(producer.send(
            new ProducerRecord<>(definitionsTopic, null, timestamp, d.getFundId(), value)));
      }
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw new PublishException(
          "Publishing fund definitions to " + definitionsTopic + " failed: " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException("Interrupted while publishing fund definitions", e);
    } catch (RuntimeException e) {
      throw new PublishException(
          "Publishing fund definitions to " + definitionsTopic + " failed: " + e, e);
    }
    fundDefinitions.addAndGet(definitions.size());
    return definitions.size();
  }

  /**
   * Publishes on a new thread ({@code navstream-simulator}) and returns at once.
   *
   * @throws IllegalStateException when this publisher has already run
   */
  public void start() {
    if (!ran.compareAndSet(false, true)) {
      throw new IllegalStateException("This publisher has already run");
    }
    Thread thread = new Thread(() -> {
      try {
        runToEnd();
      } catch (PublishException e) {
        // Kept in failure(); the owner reports it.
        log.debug("Simulator stopped by a failure", e);
      }
    }, "navstream-simulator");
    worker = thread;
    thread.start();
  }

  /**
   * Publishes on this thread until the simulation's end, the tick limit or {@link #stop()}, then
   * flushes the producer.
   *
   * @return the final counts
   * @throws PublishException at the first failure, after flushing what was sent before it
   * @throws IllegalStateException when this publisher has already run
   */
  public Progress run() {
    if (!ran.compareAndSet(false, true)) {
      throw new IllegalStateException("This publisher has already run");
    }
    worker = Thread.currentThread();
    return runToEnd();
  }

  private Progress runToEnd() {
    boolean interrupted = false;
    try {
      publishUntilDone();
    } catch (InterruptedException e) {
      // An interrupt is a request to stop.
      interrupted = true;
    } catch (PublishException e) {
      failure.compareAndSet(null, e);
    } catch (RuntimeException e) {
      failure.compareAndSet(null, new PublishException("Publishing failed: " + e, e));
    } finally {
      flush();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      done.countDown();
    }
    PublishException failed = failure.get();
    if (failed != null) {
      throw failed;
    }
    return progress();
  }

  /** Asks the publisher to stop after the event in flight; returns without waiting. */
  public void stop() {
    stopRequested = true;
    Thread thread = worker;
    if (thread != null) {
      // Wakes the pacing sleep early; unlike an interrupt it cannot break a send in progress.
      LockSupport.unpark(thread);
    }
  }

  /** Waits until a run has ended and the producer is flushed; false on timeout. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public boolean isTerminated() {
    return done.getCount() == 0;
  }

  /** The failure that ended the run, if one did. */
  public Optional<PublishException> failure() {
    return Optional.ofNullable(failure.get());
  }

  public Progress progress() {
    return new Progress(priceTicks.get(), fundingRates.get(), fundDefinitions.get(), lastEventTime);
  }

  public PacedSimulation simulation() {
    return simulation;
  }

  private void publishUntilDone() throws InterruptedException {
    while (!stopRequested && !simulation.finished()) {
      for (MarketEvent event : simulation.awaitDue()) {
        if (stopRequested) {
          return;
        }
        publish(event);
        if (priceTicks.get() >= maxPriceTicks) {
          return;
        }
      }
      PublishException failed = sendFailure.get();
      if (failed != null) {
        throw failed;
      }
    }
  }

  private void publish(MarketEvent event) {
    if (event instanceof MarketEvent.Price price) {
      send(pricesTopic, price, priceSerializer.serialize(pricesTopic, price.toAvro()));
      priceTicks.incrementAndGet();
    } else if (event instanceof MarketEvent.Funding funding) {
      send(fundingTopic, funding, fundingSerializer.serialize(fundingTopic, funding.toAvro()));
      fundingRates.incrementAndGet();
    }
    lastEventTime = event.eventTime();
    listener.published(event);
  }

  private void send(String topic, MarketEvent event, byte[] value) {
    // No partition given: the producer's default partitioner hashes the key (murmur2).
    producer.send(
        new ProducerRecord<>(topic, null, event.eventTime().toEpochMilli(), event.symbol(), value),
        (metadata, error) -> {
          if (error != null) {
            sendFailure.compareAndSet(null, new PublishException(
                "Publishing " + event.symbol() + " at " + event.eventTime() + " to " + topic
                    + " failed: " + error, error));
          }
        });
  }

  private void flush() {
    // An interrupt would abort the flush; the status is restored by the caller.
    boolean interrupted = Thread.interrupted();
    try {
      producer.flush();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, new PublishException("Flushing the producer failed: " + e, e));
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    PublishException failed = sendFailure.get();
    if (failed != null) {
      failure.compareAndSet(null, failed);
    }
  }
}
