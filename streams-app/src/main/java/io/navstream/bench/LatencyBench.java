package io.navstream.bench;

import io.navstream.avro.NavUpdate;
import io.navstream.avro.PriceTick;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>Ticks are sent on a fixed schedule (tick i at start + i / rate) and latency counts from the
 * schedule, not from the actual send, so a stalled sender cannot hide a stall (no coordinated
 * omission). Tick i has event time start + i ms, which every output record carries.
 */
final class LatencyBench {
  static final String NAME = "latency";

  private LatencyBench() {}

  static void run(BenchContext ctx) {
    BenchSettings s = ctx.settings();
    ctx.results().note(String.format(Locale.ROOT, "latency: %,d ticks/s offered for %d s (first %d s"
            + " left out), %d underlyings x %d funds; apps' producer linger.ms=%d (set explicitly;"
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
          long[] latencies = measure(ctx, run, workload, navstream);
          String who = navstream ? "navstream" : "pass-through";
          double p50 = Results.quantile(latencies, 0.50) / 1e6;
          double p99 = Results.quantile(latencies, 0.99) / 1e6;
          double p999 = Results.quantile(latencies, 0.999) / 1e6;
          ctx.say("  %-12s p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms (%,d records)", who, p50, p99,
              p999, latencies.length);
          ctx.results().add(NAME, config, who + " p50", "ms", r, p50);
          ctx.results().add(NAME, config, who + " p99", "ms", r, p99);
          ctx.results().add(NAME, config, who + " p99.9", "ms", r, p999);
          ctx.checkpoint();
        }
      }
    }
  }

  /** The sorted latencies (ns) of the output records of the ticks after the warm-up. */
  private static long[] measure(BenchContext ctx, BenchApp.Run run, Workload workload,
      boolean navstream) {
    BenchSettings s = ctx.settings();
    BenchKafka kafka = ctx.kafka();
    int count = s.latencyRate() * s.latencySeconds();
    int warmup = s.latencyRate() * s.latencyWarmupSeconds();
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
      try (KafkaConsumer<String, byte[]> reader = kafka.committedReader()) {
        List<TopicPartition> partitions = reader.partitionsFor(app.output()).stream()
            .map(p -> new TopicPartition(app.output(), p.partition())).toList();
        reader.assign(partitions);
        reader.seekToEnd(partitions);
        partitions.forEach(reader::position); // resolve now, before the first tick
        var senderFailure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread sender = new Thread(() -> send(kafka, app.input(), workload, s.latencyRate(), count,
            scheduled), "bench-paced-sender");
        sender.setUncaughtExceptionHandler((t, e) -> senderFailure.set(e));
        sender.start();
        int seen = 0;
        long received = 0;
        long expected = (long) count * fanOut;
        long deadline = System.nanoTime() + Duration.ofSeconds(s.latencySeconds() + 120L).toNanos();
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
            int tick = (int) (eventTime.applyAsLong(record.value()) - workload.eventTime(0));
            received++;
            if (tick >= warmup && seen < latencies.length) {
              latencies[seen++] = now - scheduled.get(tick);
            }
          }
        }
        join(sender);
        return Results.sortedCopy(latencies, seen);
      }
    } finally {
      kafka.deleteTopicsStartingWith(run.prefix());
      BenchKafka.deleteRecursively(kafka.workDir().resolve("state"));
    }
  }

  /** Sends tick i at start + i / rate, recording that scheduled time before the send. */
  private static void send(BenchKafka kafka, String topic, Workload workload, int rate, int count,
      AtomicLongArray scheduled) {
    Workload.Ticks ticks = workload.ticks(7);
    try (KafkaProducer<String, Object> producer = kafka.pacedProducer()) {
      long start = System.nanoTime() + Duration.ofMillis(50).toNanos();
      double interval = 1e9 / rate;
      for (int i = 0; i < count; i++) {
        long due = start + (long) (i * interval);
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait); // pacing the offered load, not synchronising
        }
        scheduled.set(i, due);
        PriceTick t = ticks.next();
        producer.send(new ProducerRecord<>(topic, null, t.getEventTime().toEpochMilli(),
            t.getSymbol(), t));
      }
      producer.flush();
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
