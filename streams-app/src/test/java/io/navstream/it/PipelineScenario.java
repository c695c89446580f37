package io.navstream.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.app.NavstreamApp;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end scenario, written once and run on several environments (embedded broker and
 * Apicurio; containers): navstream's {@code run} path, exactly-once, produces live what the same
 * topology gives for the same inputs under TopologyTestDriver, record by record, fund by fund.
 */
abstract class PipelineScenario {
  static final int PARTITIONS = 2;

  /** Kafka and the registry to run against; called once the environment is up. */
  protected abstract ItEnvironment environment();

  @Test
  void liveOutputsEqualTheTopologyTestDriversFundByFund() {
    String name = getClass().getSimpleName();
    Path stateDir = KafkaStack.newWorkDir(name + "-state");
    TopicNames names = StackClients.uniqueTopics(name);
    List<Input.Definition> funds = Scenarios.pipelineFunds();
    List<Input.Price> prices = Scenarios.pipelinePrices();
    List<Input> inputs = new ArrayList<>(funds);
    inputs.addAll(prices);
    RunOutputs expected = ReferenceRun.run(names, PARTITIONS, inputs);
    assertTheScenarioCoversWhatItShould(expected);

    long started = System.nanoTime();
    try (StackClients clients = new StackClients(environment());
        NavstreamApp app = new NavstreamApp(
            clients.config(StackClients.uniqueName(name), names, PARTITIONS, stateDir))) {
      Topics topics = clients.topics(names);
      app.start();
      // Definitions first, and processed, so that live order matches the reference order.
      clients.produce(topics, funds);
      clients.readUntil(List.of(names.fundState()), read -> read.size() >= funds.size(),
          StackClients.OUTPUT_TIMEOUT, funds.size() + " PENDING fund states");
      clients.produce(topics, prices);

      RunOutputs actual = clients.readOutputs(topics, expected, StackClients.OUTPUT_TIMEOUT);

      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(actual.differencesFrom(expected)).isEmpty();
      assertThat(actual.counts()).isEqualTo(expected.counts());
      assertThat(actual.byKey(RunOutputs.DEAD_LETTER).values().stream().flatMap(List::stream))
          .as("dead letters carry their reason in the navstream.dlq.reason header")
          .anyMatch(line -> line.contains("reason=INVALID_PRICE source=" + names.prices()))
          .anyMatch(line -> line.contains("reason=LATE_INPUT source=" + names.prices()));
      TestLog.line("%s: %d inputs, outputs equal to the reference %s, in %d ms", name,
          inputs.size(), actual.counts(), (System.nanoTime() - started) / 1_000_000);
    }
  }

  private static void assertTheScenarioCoversWhatItShould(RunOutputs expected) {
    Map<String, List<String>> instructions = expected.byKey(RunOutputs.INSTRUCTIONS);
    assertThat(instructions).containsOnlyKeys("BTC3L", "BTC3S", "ETH3L");
    assertThat(instructions.get("BTC3S")).anyMatch(l -> l.contains("\"reason\": \"THRESHOLD\""));
    assertThat(instructions.get("BTC3L")).anyMatch(l -> l.contains("\"reason\": \"THRESHOLD\""))
        .anyMatch(l -> l.contains("\"reason\": \"DAILY\""));
    assertThat(expected.byKey(RunOutputs.DEAD_LETTER).values().stream().flatMap(List::stream))
        .hasSize(2);
    assertThat(expected.count(RunOutputs.NAV)).isGreaterThan(100);
  }
}
