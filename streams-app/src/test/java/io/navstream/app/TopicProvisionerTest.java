package io.navstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.topology.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {
  private static final TopicNames NAMES = TopicNames.defaults();
  private static final int ALL_TOPICS = NAMES.inputs().size() + NAMES.outputs().size();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final FakeAdmin kafka = new FakeAdmin();

  private TopicProvisioner.Result provision(int partitions, short rf, boolean create) {
    return new TopicProvisioner(kafka.admin, TIMEOUT).provision(NAMES, partitions, rf, create);
  }

  private Map<String, NewTopic> requested() {
    return kafka.createRequests.stream()
        .collect(Collectors.toMap(NewTopic::name, Function.identity()));
  }

  @Test
  void createsMissingTopicsCompactingTheCompactedOnes() {
    kafka.withTopic(NAMES.prices(), 6).withTopic(NAMES.fundingRates(), 6);

    TopicProvisioner.Result result = provision(6, (short) -1, true);

    assertThat(result.created())
        .containsExactlyInAnyOrder(
            NAMES.fundDefinitions(), NAMES.navUpdates(), NAMES.rebalanceInstructions(),
            NAMES.fundState(), NAMES.deadLetter(), NAMES.fundCommands(), NAMES.navCandles(),
            NAMES.fundFlows(), NAMES.tokenPrices(), NAMES.flowResults(), NAMES.corporateActions(),
            NAMES.premiumDiscount());
    assertThat(result.existing()).containsExactlyInAnyOrder(NAMES.prices(), NAMES.fundingRates());
    Map<String, NewTopic> requested = requested();
    assertThat(requested.get(NAMES.fundDefinitions()).configs())
        .containsEntry("cleanup.policy", "compact");
    assertThat(requested.get(NAMES.fundState()).configs())
        .containsEntry("cleanup.policy", "compact");
    for (String plain : List.of(NAMES.navUpdates(), NAMES.rebalanceInstructions(), NAMES.deadLetter())) {
      Map<String, String> configs = requested.get(plain).configs();
      assertThat(configs == null ? Map.<String, String>of() : configs)
          .as(plain)
          .doesNotContainKey("cleanup.policy");
    }
    assertThat(requested.values()).allSatisfy(nt -> {
      assertThat(nt.numPartitions()).isEqualTo(6);
      // -1: the broker's default replication factor.
      assertThat(nt.replicationFactor()).isEqualTo((short) -1);
    });
    assertThat(kafka.topics).containsKeys(NAMES.fundState(), NAMES.deadLetter());
  }

  @Test
  void createsWithTheConfiguredReplicationFactorAndPartitions() {
    provision(12, (short) 3, true);

    assertThat(kafka.createRequests).hasSize(ALL_TOPICS);
    assertThat(kafka.createRequests).allSatisfy(nt -> {
      assertThat(nt.numPartitions()).isEqualTo(12);
      assertThat(nt.replicationFactor()).isEqualTo((short) 3);
    });
  }

  @Test
  void createsNothingWhenEverythingExists() {
    NAMES.inputs().values().forEach(t -> kafka.withTopic(t, 6));
    NAMES.outputs().values().forEach(t -> kafka.withTopic(t, 1));

    TopicProvisioner.Result result = provision(6, (short) -1, true);

    assertThat(result.created()).isEmpty();
    assertThat(result.existing()).hasSize(ALL_TOPICS);
    assertThat(kafka.createRequests).isEmpty();
  }

  @Test
  void failsListingEveryMissingTopicWhenCreationIsOff() {
    kafka.withTopic(NAMES.prices(), 6).withTopic(NAMES.navUpdates(), 6);

    assertThatThrownBy(() -> provision(6, (short) 3, false))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("topics.create=true")
        .hasMessageContaining(
            "kafka-topics.sh --bootstrap-server <bootstrap.servers> --create --topic "
                + NAMES.fundDefinitions() + " --partitions 6 --replication-factor 3"
                + " --config cleanup.policy=compact")
        .hasMessageContaining("--topic " + NAMES.fundingRates() + " --partitions 6")
        .hasMessageContaining("--topic " + NAMES.rebalanceInstructions() + " ")
        .hasMessageContaining("--topic " + NAMES.fundState() + " ")
        .hasMessageContaining("--topic " + NAMES.deadLetter() + " ")
        .satisfies(e -> assertThat(e.getMessage())
            .doesNotContain("--topic " + NAMES.prices() + " ")
            .doesNotContain("--topic " + NAMES.navUpdates() + " "));
    assertThat(kafka.createRequests).isEmpty();
  }

  @Test
  void failsOnPartitionMismatchOfPricesAndFundingRatesWithoutCreatingAnything() {
    kafka.withTopic(NAMES.prices(), 3).withTopic(NAMES.fundingRates(), 4);

    assertThatThrownBy(() -> provision(6, (short) -1, true))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("Topic prices has 3 partitions but topics.partitions=6")
        .hasMessageContaining("Topic funding-rates has 4 partitions but topics.partitions=6")
        .hasMessageContaining("co-partitioned")
        .hasMessageContaining("\"Changing the partition count\"");
    assertThat(kafka.createRequests).isEmpty();
  }

  @Test
  void otherTopicsMayHaveAnyPartitionCount() {
    kafka.withTopic(NAMES.prices(), 6).withTopic(NAMES.fundingRates(), 6)
        .withTopic(NAMES.fundDefinitions(), 1).withTopic(NAMES.navUpdates(), 24);

    assertThat(provision(6, (short) -1, true).created()).hasSize(ALL_TOPICS - 4);
  }

  @Test
  void failsWhenFundCommandsIsNotCoPartitionedWithFundDefinitions() {
    kafka.withTopic(NAMES.fundDefinitions(), 6).withTopic(NAMES.fundCommands(), 3);

    assertThatThrownBy(() -> provision(6, (short) -1, true))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("Topic fund-commands has 3 partitions but fund-definitions has 6")
        .hasMessageContaining("co-partitioned");
    assertThat(kafka.createRequests).isEmpty();
  }

  @Test
  void failsWhenFundFlowsIsNotCoPartitionedWithFundDefinitions() {
    kafka.withTopic(NAMES.fundDefinitions(), 6).withTopic(NAMES.fundFlows(), 4);

    assertThatThrownBy(() -> provision(6, (short) -1, true))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("Topic fund-flows has 4 partitions but fund-definitions has 6")
        .hasMessageContaining("Fund flows are routed");
    assertThat(kafka.createRequests).isEmpty();
  }

  @Test
  void createsMissingFlowAndTokenPriceTopicsCoPartitionedWithWhatTheyMeet() {
    kafka.withTopic(NAMES.fundDefinitions(), 2).withTopic(NAMES.navUpdates(), 3);

    provision(6, (short) -1, true);

    assertThat(requested().get(NAMES.fundFlows()).numPartitions()).isEqualTo(2);
    assertThat(requested().get(NAMES.tokenPrices()).numPartitions()).isEqualTo(3);
  }

  @Test
  void createsAMissingFundCommandsTopicWithTheDefinitionsPartitionCount() {
    kafka.withTopic(NAMES.fundDefinitions(), 2);

    provision(6, (short) -1, true);

    assertThat(requested().get(NAMES.fundCommands()).numPartitions()).isEqualTo(2);
    assertThat(requested().get(NAMES.prices()).numPartitions()).isEqualTo(6);
  }

  @Test
  void toleratesAnotherInstanceCreatingATopicFirst() {
    kafka.createdConcurrently.put(NAMES.navUpdates(), 6);

    TopicProvisioner.Result result = provision(6, (short) -1, true);

    assertThat(result.created()).hasSize(ALL_TOPICS - 1).doesNotContain(NAMES.navUpdates());
    assertThat(result.existing()).containsExactly(NAMES.navUpdates());
    // Just created by the other instance, so its leaders are awaited like ours.
    assertThat(kafka.listOffsetsCalls).hasSize(1);
    assertThat(kafka.listOffsetsCalls.get(0)).contains(new TopicPartition(NAMES.navUpdates(), 5));
  }

  @Test
  void checksPartitionsOfATopicAnotherInstanceCreatedFirst() {
    kafka.createdConcurrently.put(NAMES.prices(), 2);

    assertThatThrownBy(() -> provision(6, (short) -1, true))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("Topic prices has 2 partitions but topics.partitions=6");
  }

  @Test
  void reportsDescribeErrorsOtherThanMissingTopics() {
    kafka.describeFailures.put(NAMES.prices(), new TopicAuthorizationException("denied on prices"));

    assertThatThrownBy(() -> provision(6, (short) -1, true))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("Cannot describe topic prices")
        .hasMessageContaining("denied on prices")
        .hasCauseInstanceOf(TopicAuthorizationException.class);
    assertThat(kafka.createRequests).isEmpty();
  }

  @Test
  void timesOutWhenKafkaDoesNotAnswer() {
    kafka.describeHangs = true;

    assertThatThrownBy(
            () -> new TopicProvisioner(kafka.admin, Duration.ofMillis(1))
                .provision(NAMES, 6, (short) -1, true))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("Timed out")
        .hasMessageContaining("topics.provision.timeout.ms");
  }

  @Test
  void returnsOnlyOnceEveryCreatedPartitionsLeaderAnswers() {
    kafka.withTopic(NAMES.prices(), 6);
    kafka.notReadyError = new NotLeaderOrFollowerException("not yet");
    kafka.notReadyCalls = 3;

    TopicProvisioner.Result result = provision(6, (short) -1, true);

    assertThat(kafka.listOffsetsCalls).hasSize(4);
    List<TopicPartition> asked = kafka.listOffsetsCalls.get(3);
    assertThat(asked).hasSize(kafka.createRequests.stream().mapToInt(NewTopic::numPartitions).sum())
        .contains(new TopicPartition(NAMES.navUpdates(), 5))
        .noneMatch(tp -> tp.topic().equals(NAMES.prices()));
    assertThat(result.created()).hasSize(ALL_TOPICS - 1);
  }

  @Test
  void asksTheLeadersOnlyOnceTheMetadataNamesThem() {
    kafka.leaderlessDescribes = 3; // the first describe finds nothing; two more name no leader

    provision(6, (short) -1, true);

    assertThat(kafka.describeCalls).isEqualTo(4);
    assertThat(kafka.listOffsetsCalls).hasSize(1);
  }

  @Test
  void waitsForNothingWhenNothingIsCreated() {
    NAMES.inputs().values().forEach(t -> kafka.withTopic(t, 6));
    NAMES.outputs().values().forEach(t -> kafka.withTopic(t, 6));
    kafka.notReadyError = new NotLeaderOrFollowerException("never asked");
    kafka.notReadyCalls = Integer.MAX_VALUE;

    provision(6, (short) -1, true);

    assertThat(kafka.listOffsetsCalls).isEmpty();
  }

  @Test
  void timesOutNamingTheTopicsWhoseLeadersNeverAnswer() {
    kafka.notReadyError = new NotLeaderOrFollowerException("not yet");
    kafka.notReadyCalls = Integer.MAX_VALUE;

    assertThatThrownBy(
            () -> new TopicProvisioner(kafka.admin, Duration.ofMillis(300))
                .provision(NAMES, 6, (short) -1, true))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("waiting for the leaders of")
        .hasMessageContaining(NAMES.prices())
        .hasMessageContaining("topics.provision.timeout.ms");
    assertThat(kafka.listOffsetsCalls).hasSizeGreaterThan(1);
  }

  @Test
  void failsAtOnceOnANonRetriableLeaderError() {
    kafka.notReadyError = new TopicAuthorizationException("denied");
    kafka.notReadyCalls = Integer.MAX_VALUE;

    assertThatThrownBy(() -> provision(6, (short) -1, true))
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("Cannot reach the leaders")
        .hasMessageContaining("denied");
    assertThat(kafka.listOffsetsCalls).hasSize(1);
  }
}
