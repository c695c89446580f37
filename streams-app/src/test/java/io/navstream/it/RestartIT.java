package io.navstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.app.NavstreamApp;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * navstream stopped and started again keeps going from its books: first on the same state
 * directory, then on a wiped one, so that the stores must be restored from their changelogs. The
 * outputs of the three runs together equal one uninterrupted reference run.
 */
@ExtendWith(KafkaStackExtension.class)
class RestartIT {
  private static final int PARTITIONS = 2;

  @Test
  void navContinuesFromTheBookAcrossRestartsAndAWipedStateDirectory(KafkaStack stack) throws Exception {
    Path work = stack.workDir();
    TopicNames names = StackClients.uniqueTopics("RestartIT");
    String applicationId = StackClients.uniqueName("restart-it");
    List<Input.Definition> funds = Scenarios.pipelineFunds();
    List<Input.Price> prices = Scenarios.pipelinePrices();
    int third = prices.size() / 3;
    List<List<Input.Price>> parts = List.of(
        prices.subList(0, third), prices.subList(third, 2 * third), prices.subList(2 * third, prices.size()));
    Path stateDir = Files.createDirectories(work.resolve("state"));

    try (StackClients clients = new StackClients(stack)) {
      Topics topics = clients.topics(names);
      List<Input> fed = new ArrayList<>(funds);
      RunOutputs actual = null;
      for (int run = 0; run < parts.size(); run++) {
        if (run == 2) {
          // A new machine: nothing local, every store comes back from its changelog.
          KafkaStack.deleteRecursively(stateDir);
          Files.createDirectories(stateDir);
        }
        NavstreamConfig config = StackClients.config(withStaticMembership(
            clients.settings(applicationId, names, PARTITIONS, stateDir), applicationId));
        long started = System.nanoTime();
        try (NavstreamApp app = new NavstreamApp(config)) {
          app.start();
          if (run == 0) {
            clients.produce(topics, funds);
            clients.readUntil(List.of(names.fundState()), read -> read.size() >= funds.size(),
                StackClients.OUTPUT_TIMEOUT, "PENDING fund states");
          }
          clients.produce(topics, parts.get(run));
          fed.addAll(parts.get(run));
          RunOutputs expectedSoFar = ReferenceRun.run(names, PARTITIONS, fed);
          actual = clients.readOutputs(topics, expectedSoFar, StackClients.OUTPUT_TIMEOUT);
          assertThat(actual.differencesFrom(expectedSoFar)).as("after run %d", run + 1).isEmpty();
        }
        TestLog.line("RestartIT run %d (%s): outputs %s in %d ms", run + 1,
            run == 0 ? "fresh" : run == 1 ? "same state dir" : "wiped state dir", actual.counts(),
            (System.nanoTime() - started) / 1_000_000);
      }

      List<Input> all = new ArrayList<>(funds);
      all.addAll(prices);
      RunOutputs expected = ReferenceRun.run(names, PARTITIONS, all);
      assertThat(actual.differencesFrom(expected)).isEmpty();
      assertThat(actual.counts()).isEqualTo(expected.counts());
      for (Map.Entry<String, List<String>> fund : actual.byKey(RunOutputs.INSTRUCTIONS).entrySet()) {
        assertThat(fund.getValue()).as("INCEPTION instructions of %s", fund.getKey())
            .filteredOn(line -> line.contains("\"reason\": \"INCEPTION\"")).hasSize(1);
      }
      assertThat(actual.byKey(RunOutputs.INSTRUCTIONS)).containsOnlyKeys("BTC3L", "BTC3S", "ETH3L");
    }
  }

  /** A fixed member id per instance, so a restarted instance takes its place without waiting out the session. */
  private static Map<String, String> withStaticMembership(Map<String, String> settings, String instance) {
    settings.put(ConfigKeys.KAFKA_PREFIX + "group.instance.id", instance);
    settings.put(ConfigKeys.KAFKA_PREFIX + "session.timeout.ms", "10000");
    return settings;
  }
}
