package io.navstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.config.ConfigKeys;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exactly-once under crashes. navstream runs as a separate JVM and is killed with SIGKILL at seeded
 * random moments while prices keep arriving, and restarted each time with the same application id,
 * static member id and state directory (so its transactional id fences the dead instance's open
 * transaction). Afterwards every fund's committed NAV updates, rebalance instructions and states
 * must be exactly what an uninterrupted TopologyTestDriver run gives: nothing lost, nothing twice,
 * same order, same values.
 */
@ExtendWith(KafkaStackExtension.class)
class ExactlyOnceCrashIT {
  private static final long SEED = 20251121L;
  private static final int PARTITIONS = 2;
  private static final List<String> UNDERLYINGS = List.of(Scenarios.BTC, Scenarios.ETH, Scenarios.SOL);
  /** Rounds of the random walk; each is one tick per underlying. */
  private static final int STEPS = 8_000;
  private static final Duration TICK_SPACING = Duration.ofMinutes(10);
  private static final double VOLATILITY = 0.006;
  private static final int KILLS = 6;
  /** Prices are produced at about this rate, so that they keep arriving across the kills. */
  private static final int TICKS_PER_SECOND = 400;
  private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(90);

  @Test
  void everyFundsOutputsAreExactlyTheReferenceAfterRepeatedSigkills(KafkaStack stack) throws Exception {
    long started = System.nanoTime();
    Random chaos = new Random(SEED);
    TopicNames names = StackClients.uniqueTopics("eos-crash");
    String applicationId = StackClients.uniqueName("eos-crash");
    Path work = Files.createDirectories(stack.workDir().resolve(applicationId));
    List<Input.Definition> funds = Scenarios.busyFunds(UNDERLYINGS);
    List<Input.Price> ticks = Scenarios.randomWalk(SEED, UNDERLYINGS, STEPS, TICK_SPACING, VOLATILITY);
    List<Input> inputs = new ArrayList<>(funds);
    inputs.addAll(ticks);
    CompletableFuture<RunOutputs> reference =
        CompletableFuture.supplyAsync(() -> ReferenceRun.run(names, PARTITIONS, inputs));
    List<Integer> killPoints = killPoints(chaos, ticks.size());

    try (StackClients clients = new StackClients(stack)) {
      clients.createTopics(names, PARTITIONS);
      Topics topics = clients.topics(names);
      Path config = writeConfig(work, clients, names, applicationId);

      int launches = 0;
      ChildApp child = ChildApp.launch(config, work.resolve("child-" + (++launches) + ".log"));
      AtomicInteger produced = new AtomicInteger();
      try (KafkaConsumer<String, byte[]> navs = clients.newReadCommittedConsumer(List.of(names.navUpdates()))) {
        clients.produce(topics, funds);
        clients.readUntil(List.of(names.fundState()), read -> read.size() >= funds.size(),
            PROGRESS_TIMEOUT, funds.size() + " PENDING fund states from the first child");
        CompletableFuture<Void> producing =
            CompletableFuture.runAsync(() -> producePaced(clients, topics, ticks, produced));

        int[] committedNavs = {0};
        for (int kill = 0; kill < KILLS; kill++) {
          int target = killPoints.get(kill);
          int navsAtStart = committedNavs[0];
          ChildApp running = child;
          // Killed only once this instance has committed outputs of its own, and the input has
          // reached the seeded point.
          Await.until(PROGRESS_TIMEOUT, () -> {
            if (!running.isAlive()) {
              throw new AssertionError("navstream exited with " + running.exitValue() + ":\n" + running.logTail());
            }
            committedNavs[0] += navs.poll(Duration.ofMillis(100)).count();
            return committedNavs[0] > navsAtStart
                && clients.committedInput(applicationId, names.prices()) >= target;
          }, () -> "child " + running.pid() + " to consume " + target + " ticks (" + produced.get()
              + " produced) and commit NAV updates; log " + running.logFile()
              + clients.diagnostics(names, applicationId));
          running.kill();
          TestLog.line("kill %d: SIGKILL to pid %d at %d ticks consumed, %d NAV updates committed,"
                  + " %d ticks produced", kill + 1, running.pid(),
              clients.committedInput(applicationId, names.prices()), committedNavs[0], produced.get());
          child = ChildApp.launch(config, work.resolve("child-" + (++launches) + ".log"));
        }
        producing.get();
        ChildApp last = child;
        Await.until(PROGRESS_TIMEOUT, () -> {
          if (!last.isAlive()) {
            throw new AssertionError("navstream exited with " + last.exitValue() + ":\n" + last.logTail());
          }
          return clients.committedInput(applicationId, names.prices()) >= ticks.size();
        }, () -> "the last child to consume all " + ticks.size() + " ticks"
            + clients.diagnostics(names, applicationId));
        // Outputs commit in the same transaction as the input offsets: all are there now.
        RunOutputs actual = StackClients.outputs(topics, clients.readUntil(
            RunOutputs.topics(names), read -> true, PROGRESS_TIMEOUT, "outputs"));
        child.stop();
        RunOutputs expected = reference.get();

        List<String> differences = actual.differencesFrom(expected);
        // Offsets not holding a committed record: transaction markers, and records of aborted
        // transactions (the killed instances' last ones), which read_committed skips.
        long notCommitted = clients.endOffsets(RunOutputs.topics(names)) - actual.total();
        TestLog.line("EXACTLY-ONCE: kills survived %d, records compared %d %s (live %s),"
                + " differences %d, output offsets holding markers or aborted records %d,"
                + " wall time %d s",
            KILLS, expected.total(), expected.counts(), actual.counts(), differences.size(),
            notCommitted, (System.nanoTime() - started) / 1_000_000_000);
        differences.stream().limit(10).forEach(d -> TestLog.line("difference: %s", d));
        if (!differences.isEmpty()) {
          TestLog.line("offsets: %s", clients.diagnostics(names, applicationId));
        }
        assertThat(differences).isEmpty();
        assertThat(actual.counts()).isEqualTo(expected.counts());
        assertThat(expected.byKey(RunOutputs.INSTRUCTIONS).values().stream().flatMap(List::stream))
            .as("the series rebalances for every reason")
            .anyMatch(l -> l.contains("\"DAILY\"")).anyMatch(l -> l.contains("\"THRESHOLD\""))
            .anyMatch(l -> l.contains("\"BAND\""));
      } finally {
        child.close();
      }
    }
  }

  /** KILLS moments, as counts of consumed ticks, one at a random point of each slot of 5–85% of the run. */
  private static List<Integer> killPoints(Random chaos, int ticks) {
    List<Integer> points = new ArrayList<>();
    double slot = 0.80 / KILLS;
    for (int k = 0; k < KILLS; k++) {
      double fraction = 0.05 + slot * k + chaos.nextDouble() * slot * 0.8;
      points.add((int) (ticks * fraction));
    }
    return points;
  }

  private static Path writeConfig(Path work, StackClients clients, TopicNames names, String applicationId)
      throws IOException {
    Map<String, String> settings =
        clients.settings(applicationId, names, PARTITIONS, work.resolve("state"));
    // Static membership: a restarted instance takes over its partitions at once.
    settings.put(ConfigKeys.KAFKA_PREFIX + "group.instance.id", applicationId + "-instance");
    settings.put(ConfigKeys.KAFKA_PREFIX + "session.timeout.ms", "10000");
    Properties properties = new Properties();
    properties.putAll(settings);
    Path file = work.resolve("navstream.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, "ExactlyOnceCrashIT child configuration");
    }
    return file;
  }

  /** Produces the ticks in order at about TICKS_PER_SECOND, in batches. */
  private static void producePaced(StackClients clients, Topics topics, List<Input.Price> ticks,
      AtomicInteger produced) {
    long start = System.nanoTime();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, byte[]> producer = clients.newProducer()) {
      for (int i = 0; i < ticks.size() && failure.get() == null; i++) {
        producer.send(StackClients.record(topics, ticks.get(i)), (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          }
        });
        produced.incrementAndGet();
        if (i % 100 == 99) {
          long due = start + (long) ((i + 1) * 1e9 / TICKS_PER_SECOND);
          long ahead = due - System.nanoTime();
          if (ahead > 0) {
            Thread.sleep(ahead / 1_000_000); // pacing the load, not synchronising
          }
        }
      }
      producer.flush();
      if (failure.get() != null) {
        throw new IllegalStateException("Producing ticks failed", failure.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted producing ticks", e);
    }
  }
}
