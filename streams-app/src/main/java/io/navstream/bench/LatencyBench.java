package io.navstream.bench;

import io.navstream.avro.NavUpdate;
import io.navstream.avro.PriceTick;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Scenario 2: latency at a fixed offered rate, from a tick's scheduled send time to each of its
 * output records being read by a read_committed consumer; navstream and the pass-through, under
 * each guarantee, with the apps' producer {@code linger.ms} set explicitly.
 *
 * <p>Each run has two phases at the same rate. The warm-up offers ticks for {@code
 * latencyWarmupSeconds}; once the app has delivered every output of them (it has caught up), the
 * measured phase offers ticks for {@code latencySeconds}, and only those count. So the figures
 * are the app's steady state, not the backlog of its cold start (a fresh JVM compiles for tens of
 * seconds on two cores); how long catching up took is reported as its own figure. An app that
 * cannot sustain the rate still shows it: its backlog grows through the measured phase.
 *
 * <p>Ticks are sent on a fixed schedule (tick i at phase start + i / rate) and latency counts from
 * the schedule, not from the actual send, so a stalled sender cannot hide a stall (no coordinated
 * omission). Tick i has event time start + i ms, which every output record carries as its Kafka
 * timestamp: the reader takes the tick from the timestamp, and decodes only a sample of records to
 * check that they agree, so that decoding every output does not compete with the app for CPU.
 */
final class LatencyBench {
  static final String NAME = "latency";

  private LatencyBench() {}

  static void run(BenchContext ctx) {
    BenchSettings s = ctx.settings();
    ctx.results().note(String.format(Locale.ROOT, "latency: %,d ticks/s offered for %d s, after a"
            + " %d s warm-up at that rate that the app must first catch up with,"
            + " %d underlyings x %d funds; apps' producer linger.ms=%d (set explicitly;"
            + " Kafka Streams' default is 100); commit.interval.ms at Kafka's default (100 ms under"
            + " EOS: a NAV becomes visible when its transaction commits); latency = scheduled send of"
            + " the tick -> its output record returned by poll() of a read_committed consumer",
        s.latencyRate(), s.latencySeconds(), s.latencyWarmupSeconds(), s.underlyings(), s.funds(),
        s.lingerMs()));
    Workload workload = new Workload(s.underlyings(), s.funds(), 1);
    Map<String, String> kafka = Map.of(
        StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), Integer.toString(s.lingerMs()));
    for (Guarantee g : s.guarantees()) {
      String config = String.format(Locale.ROOT, "%s %,d ticks/s linger.ms=%d", g.label(),
          s.latencyRate(), s.lingerMs());
      for (int r = 1; r <= s.runs(); r++) {
        ctx.say("latency %s run %d/%d", config, r, s.runs());
        for (boolean navstream : new boolean[] {true, false}) {
          BenchApp.Run run = new BenchApp.Run(String.format(Locale.ROOT, "latency-%s-%d-%s-",
              g.label(), r, navstream ? "nav" : "base"), g, s.partitions(), kafka);
          Measured m = measure(ctx, run, workload, navstream);
          long[] latencies = m.latencies();
          String who = navstream ? "navstream" : "pass-through";
          double p50 = Results.quantile(latencies, 0.50) / 1e6;
          double p99 = Results.quantile(latencies, 0.99) / 1e6;
          double p999 = Results.quantile(latencies, 0.999) / 1e6;
          ctx.say("  %-12s p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms (%,d records; caught up with"
              + " the warm-up %,.0f ms after its last tick)", who, p50, p99, p999, latencies.length,
              m.catchUpMillis());
          ctx.results().add(NAME, config, who + " p50", "ms", r, p50);
          ctx.results().add(NAME, config, who + " p99", "ms", r, p99);
          ctx.results().add(NAME, config, who + " p99.9", "ms", r, p999);
          if (s.latencyWarmupSeconds() > 0) {
            ctx.results().add(NAME, config, who + " warm-up catch-up", "ms", r, m.catchUpMillis());
          }
          ctx.checkpoint();
        }
      }
    }
  }

  /**
   * What one run measured.
   *
   * @param latencies the sorted latencies (ns) of the output records of the measured ticks
   * @param catchUpMillis how long after the warm-up's last scheduled tick its last output arrived
   *     (0 without a warm-up)
   */
  record Measured(long[] latencies, double catchUpMillis) {}

  /** How often the reader decodes an output to check that its timestamp is its tick's time. */
  private static final int DECODE_CHECK_EVERY = 1024;

  private static Measured measure(BenchContext ctx, BenchApp.Run run, Workload workload,
      boolean navstream) {
    BenchSettings s = ctx.settings();
    BenchKafka kafka = ctx.kafka();
    int warmup = s.latencyRate() * s.latencyWarmupSeconds();
    int count = warmup + s.latencyRate() * s.latencySeconds();
    int fanOut = workload.fundsPerUnderlying();
    ToLongFunction<byte[]> eventTime;
    if (navstream) {
      Deserializer<NavUpdate> d = kafka.avro().forValues(NavUpdate.class).deserializer();
      eventTime = bytes -> d.deserialize(run.topics().navUpdates(), bytes).getEventTime().toEpochMilli();
    } else {
      Deserializer<PriceTick> d = kafka.avro().forValues(PriceTick.class).deserializer();
      eventTime = bytes -> d.deserialize(run.topics().prices(), bytes).getEventTime().toEpochMilli();
    }
    try (BenchApp app = navstream ? BenchApp.navstream(kafka, run)
        : BenchApp.passThrough(kafka, run, fanOut)) {
      if (navstream) {
        kafka.produceDefinitions(run.topics().fundDefinitions(), workload.definitions());
      }
      app.start(BenchContext.START_TIMEOUT);
      if (navstream) {
        kafka.awaitCommittedRecords(run.topics().fundState(), workload.funds(), BenchContext.START_TIMEOUT);
      }
      AtomicLongArray scheduled = new AtomicLongArray(count);
      long[] latencies = new long[(count - warmup) * fanOut];
      CountDownLatch caughtUp = new CountDownLatch(warmup == 0 ? 0 : 1);
      Duration catchUpTimeout = Duration.ofSeconds(s.latencyWarmupSeconds() + 120L);
      try (KafkaConsumer<String, byte[]> reader = kafka.committedReader()) {
        List<TopicPartition> partitions = reader.partitionsFor(app.output()).stream()
            .map(p -> new TopicPartition(app.output(), p.partition())).toList();
        reader.assign(partitions);
        reader.seekToEnd(partitions);
        partitions.forEach(reader::position); // resolve now, before the first tick
        var senderFailure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread sender = new Thread(() -> send(kafka, app.input(), workload, s.latencyRate(), warmup,
            count, caughtUp, catchUpTimeout, scheduled), "bench-paced-sender");
        sender.setUncaughtExceptionHandler((t, e) -> senderFailure.set(e));
        sender.start();
        int seen = 0;
        long received = 0;
        long warmupOutputs = (long) warmup * fanOut;
        long catchUpNanos = 0;
        long expected = (long) count * fanOut;
        long deadline = System.nanoTime() + Duration.ofSeconds(s.latencySeconds() + 120L)
            .plus(catchUpTimeout).toNanos();
        while (received < expected) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(app.name() + " delivered " + received + " of " + expected
                + " records in time");
          }
          app.checkAlive();
          if (senderFailure.get() != null) {
            throw new IllegalStateException("sending ticks failed", senderFailure.get());
          }
          var records = reader.poll(Duration.ofMillis(100));
          long now = System.nanoTime();
          for (ConsumerRecord<String, byte[]> record : records) {
            int tick = (int) (record.timestamp() - workload.eventTime(0));
            if (received % DECODE_CHECK_EVERY == 0) {
              checkTimestamp(app, record, eventTime.applyAsLong(record.value()));
            }
            received++;
            if (tick >= warmup && seen < latencies.length) {
              latencies[seen++] = now - scheduled.get(tick);
            }
          }
          if (received >= warmupOutputs && caughtUp.getCount() > 0) {
            catchUpNanos = now - scheduled.get(warmup - 1);
            caughtUp.countDown();
          }
        }
        join(sender);
        return new Measured(Results.sortedCopy(latencies, seen), catchUpNanos / 1e6);
      }
    } finally {
      kafka.deleteTopicsStartingWith(run.prefix());
      BenchKafka.deleteRecursively(kafka.workDir().resolve("state"));
    }
  }

  /** The reader takes each output's tick from its Kafka timestamp: a sample is checked. */
  private static void checkTimestamp(BenchApp app, ConsumerRecord<String, byte[]> record,
      long decodedEventTime) {
    if (decodedEventTime != record.timestamp()) {
      throw new IllegalStateException(app.name() + " wrote an output whose timestamp "
          + record.timestamp() + " is not its event time " + decodedEventTime
          + ": the latency reader relies on them being equal");
    }
  }

  /**
   * Sends the warm-up ticks [0, warmup) on their schedule, waits until the reader has seen all
   * their outputs, then sends the measured ticks [warmup, count) on a schedule of their own. Each
   * tick's scheduled time is recorded before it is sent.
   */
  private static void send(BenchKafka kafka, String topic, Workload workload, int rate, int warmup,
      int count, CountDownLatch caughtUp, Duration catchUpTimeout, AtomicLongArray scheduled) {
    Workload.Ticks ticks = workload.ticks(7);
    try (KafkaProducer<String, Object> producer = kafka.pacedProducer()) {
      sendPaced(producer, topic, ticks, rate, 0, warmup, scheduled);
      producer.flush();
      try {
        if (!caughtUp.await(catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("the app did not catch up with the warm-up's " + warmup
              + " ticks within " + catchUpTimeout);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      sendPaced(producer, topic, ticks, rate, warmup, count, scheduled);
      producer.flush();
    }
  }

  /** Sends ticks [from, to), tick i at phase start + (i - from) / rate. */
  private static void sendPaced(KafkaProducer<String, Object> producer, String topic,
      Workload.Ticks ticks, int rate, int from, int to, AtomicLongArray scheduled) {
    long start = System.nanoTime() + Duration.ofMillis(50).toNanos();
    double interval = 1e9 / rate;
    for (int i = from; i < to; i++) {
      long due = start + (long) ((i - from) * interval);
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait); // pacing the offered load, not synchronising
      }
      scheduled.set(i, due);
      PriceTick t = ticks.next();
      producer.send(new ProducerRecord<>(topic, null, t.getEventTime().toEpochMilli(),
          t.getSymbol(), t));
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
