package io.navstream.app;

import io.navstream.topology.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure navstream's input and output topics exist with the right shape before the streams
 * start: creates missing ones (when allowed), and checks that prices and funding-rates have exactly
 * {@code topics.partitions} partitions, and that fund-commands and fund-flows are co-partitioned with
 * fund-definitions.
 *
 * <p>That check matters because fund definitions are repartitioned into {@code topics.partitions}
 * partitions to be co-partitioned with prices; a mismatch would join a fund's prices with another
 * fund's definition, or fail deep inside Kafka Streams.
 *
 * <p>A topic it creates is returned only once every partition's leader answers for it: a producer
 * that writes to a partition the broker has not finished creating can have its first batch
 * refused and a later one accepted, after which the first is refused as out of sequence until it
 * expires, and its records are lost despite idempotence (KAFKA-15591, not fixed in Kafka 4.3).
 *
 * <p>Kafka Streams creates its own internal topics; they are not handled here.
 */
public final class TopicProvisioner {
  private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
  /** First and longest pause between asking whether created partitions are ready. */
  private static final long READY_BACKOFF_FIRST_MS = 10;
  private static final long READY_BACKOFF_MAX_MS = 500;

  static final String README_SECTION = "\"Changing the partition count\"";

  private final Admin admin;
  private final Duration timeout;

  /**
   * @param admin the admin client, owned by the caller
   * @param timeout how long all of {@link #provision} may wait on Kafka
   */
  public TopicProvisioner(Admin admin, Duration timeout) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** What {@link #provision} found and did. */
  public record Result(List<String> existing, List<String> created) {
    public Result {
      existing = List.copyOf(existing);
      created = List.copyOf(created);
    }
  }

  /**
   * Checks navstream's topics and creates the missing ones.
   *
   * @param partitions partitions of created topics; prices and funding-rates must have this many
   * @param replicationFactor replication factor of created topics; -1 for the broker's default
   * @param create whether to create missing topics, or fail listing them
   * @throws TopicProvisioningException listing every problem found
   */
  public Result provision(
      TopicNames names, int partitions, short replicationFactor, boolean create) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Set<String> all = new LinkedHashSet<>(names.inputs().values());
    all.addAll(names.outputs().values());

    Map<String, TopicDescription> found = describe(all, deadline);
    List<String> missing = all.stream().filter(t -> !found.containsKey(t)).toList();
    List<String> problems = new ArrayList<>(partitionProblems(names, partitions, found));
    if (!missing.isEmpty() && !create) {
      problems.add(missingMessage(names, missing, partitions, replicationFactor));
    }
    fail(problems);

    List<String> created = new ArrayList<>();
    List<String> raced = new ArrayList<>();
    // Every topic just created, by us or by another instance, with its partition count.
    Map<String, Integer> fresh = new LinkedHashMap<>();
    if (!missing.isEmpty()) {
      missing.forEach(t -> fresh.put(t, partitionsToCreate(names, t, partitions, found)));
      createTopics(names, missing, fresh::get, replicationFactor, deadline, created, raced);
    }
    if (!raced.isEmpty()) {
      // Another instance created these between our describe and create: check what it made.
      Map<String, TopicDescription> racedFound = describe(raced, deadline);
      fail(partitionProblems(names, partitions, racedFound));
      fresh.keySet().removeAll(raced); // theirs, with the partitions they made
      racedFound.forEach((t, d) -> fresh.put(t, d.partitions().size()));
    }
    awaitLeaders(fresh, deadline);
    List<String> existing = all.stream().filter(t -> !created.contains(t)).toList();
    log.info("Topics ready: {} existing, {} created {}", existing.size(), created.size(), created);
    return new Result(existing, created);
  }

  /**
   * Waits until the leader of every partition of {@code topics} (name to partition count) answers
   * for it, which it does only once it has created the partition: a list-offsets request goes to
   * the leader the metadata names, and fails with a retriable error until then.
   *
   * @throws TopicProvisioningException when they are not ready within the provisioner's timeout
   */
  public void awaitLeaders(Map<String, Integer> topics) {
    awaitLeaders(topics, System.nanoTime() + timeout.toNanos());
  }

  private void awaitLeaders(Map<String, Integer> topics, long deadline) {
    Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
    topics.forEach((topic, count) -> {
      for (int p = 0; p < count; p++) {
        partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
    });
    if (partitions.isEmpty()) {
      return;
    }
    long backoffMs = READY_BACKOFF_FIRST_MS;
    for (int attempt = 1; ; attempt++) {
      long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      ListOffsetsOptions options = new ListOffsetsOptions().timeoutMs((int) Math.min(Integer.MAX_VALUE, remainingMs));
      try {
        // Asked only once the metadata names every leader: the admin client logs an unknown
        // topic as an error, and a fresh deployment would start with a page of them.
        if (leadersNamed(topics, deadline)) {
          await(admin.listOffsets(partitions, options).all(), deadline,
              "waiting for the leaders of " + topics.keySet());
          if (attempt > 1) {
            log.info("Leaders of {} ready after {} attempts", topics.keySet(), attempt);
          }
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw new TopicProvisioningException("Cannot reach the leaders of " + topics.keySet()
              + ": " + e.getCause().getMessage(), e.getCause());
        }
        log.debug("Leaders of {} not ready yet: {}", topics.keySet(), e.getCause().toString());
      }
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs) - deadline >= 0) {
        throw new TopicProvisioningException("Timed out after " + timeout.toMillis()
            + " ms (topics.provision.timeout.ms) waiting for the leaders of " + topics.keySet()
            + " to answer; the topics were created, so a restart finds them");
      }
      pause(backoffMs);
      backoffMs = Math.min(READY_BACKOFF_MAX_MS, backoffMs * 2);
    }
  }

  /** Whether the metadata names a leader for every partition of {@code topics}. */
  private boolean leadersNamed(Map<String, Integer> topics, long deadline) {
    Map<String, TopicDescription> found = describe(topics.keySet(), deadline);
    return topics.entrySet().stream().allMatch(t -> {
      TopicDescription d = found.get(t.getKey());
      return d != null && d.partitions().size() >= t.getValue()
          && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    });
  }

  /** A retry's backoff, not a synchronisation: the broker offers no readiness notification. */
  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException("Interrupted while waiting for new topics' leaders", e);
    }
  }

  private Map<String, TopicDescription> describe(Iterable<String> topics, long deadline) {
    List<String> list = new ArrayList<>();
    topics.forEach(list::add);
    Map<String, KafkaFuture<TopicDescription>> futures =
        admin.describeTopics(list).topicNameValues();
    Map<String, TopicDescription> found = new LinkedHashMap<>();
    for (String topic : list) {
      try {
        found.put(topic, await(futures.get(topic), deadline, "describing topic " + topic));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new TopicProvisioningException(
              "Cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
      }
    }
    return found;
  }

  private void createTopics(
      TopicNames names,
      List<String> missing,
      java.util.function.ToIntFunction<String> partitions,
      short replicationFactor,
      long deadline,
      List<String> created,
      List<String> raced) {
    List<NewTopic> newTopics = missing.stream()
        .map(t -> newTopic(names, t, partitions.applyAsInt(t), replicationFactor))
        .toList();
    Map<String, KafkaFuture<Void>> futures = admin.createTopics(newTopics).values();
    List<String> problems = new ArrayList<>();
    for (NewTopic nt : newTopics) {
      String topic = nt.name();
      try {
        await(futures.get(topic), deadline, "creating topic " + topic);
        created.add(topic);
        log.info(
            "Created topic {} ({} partitions, replication factor {}{})",
            topic, nt.numPartitions(), replicationFactor < 0 ? "broker default" : replicationFactor,
            names.isCompacted(topic) ? ", compacted" : "");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          raced.add(topic);
        } else {
          problems.add("Cannot create topic " + topic + ": " + e.getCause().getMessage());
        }
      }
    }
    fail(problems);
  }

  private static NewTopic newTopic(
      TopicNames names, String topic, int partitions, short replicationFactor) {
    NewTopic nt =
        new NewTopic(
            topic,
            Optional.of(partitions),
            replicationFactor < 0 ? Optional.empty() : Optional.of(replicationFactor));
    if (names.isCompacted(topic)) {
      nt.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }
    return nt;
  }

  private static List<String> partitionProblems(
      TopicNames names, int partitions, Map<String, TopicDescription> found) {
    List<String> problems = new ArrayList<>();
    for (String topic : List.of(names.prices(), names.fundingRates())) {
      TopicDescription d = found.get(topic);
      if (d != null && d.partitions().size() != partitions) {
        problems.add(
            "Topic " + topic + " has " + d.partitions().size() + " partitions but topics.partitions="
                + partitions + ". The prices and funding-rates topics must have exactly"
                + " topics.partitions partitions, because fund definitions are repartitioned into"
                + " that many partitions to be co-partitioned with prices. Set topics.partitions="
                + d.partitions().size() + " if this is a new deployment; changing the partition"
                + " count of an existing one is the documented operation in the README section "
                + README_SECTION + ".");
      }
    }
    problems.addAll(coPartitionProblems(names, found));
    return problems;
  }

  /**
   * Operator commands are routed through the same {@code fund-registry} store as definitions, so a
   * fund's commands must land in the task that holds its definition: same partition count, and
   * the same partitioner (the default, on fundId) for both topics. A topic still to be created
   * is created to match the other (see {@link #partitionsToCreate}), so only two existing topics
   * can disagree.
   */
  private static List<String> coPartitionProblems(
      TopicNames names, Map<String, TopicDescription> found) {
    List<String> problems = new ArrayList<>();
    coPartitionProblem(names, found, names.fundCommands(), "Operator commands",
        "it holds only commands, which are applied once and can be dropped").ifPresent(problems::add);
    coPartitionProblem(names, found, names.fundFlows(), "Fund flows",
        "drain it first: its flows are answered on " + names.flowResults()).ifPresent(problems::add);
    return problems;
  }

  /** A topic routed through the fund-registry store must be co-partitioned with fund-definitions. */
  private static Optional<String> coPartitionProblem(TopicNames names,
      Map<String, TopicDescription> found, String topic, String what, String recreate) {
    TopicDescription definitionsTopic = found.get(names.fundDefinitions());
    TopicDescription routedTopic = found.get(topic);
    if (definitionsTopic == null || routedTopic == null) {
      return Optional.empty();
    }
    int definitions = definitionsTopic.partitions().size();
    int routed = routedTopic.partitions().size();
    if (definitions == routed) {
      return Optional.empty();
    }
    return Optional.of("Topic " + topic + " has " + routed + " partitions but "
        + names.fundDefinitions() + " has " + definitions + ". " + what + " are routed with"
        + " the fund definitions (through the fund-registry store), so the two topics must be"
        + " co-partitioned: the same partition count, both keyed by fundId with the default"
        + " partitioner. Recreate " + topic + " with " + definitions + " partitions (" + recreate
        + ").");
  }

  private static int partitionCount(TopicDescription d, int otherwise) {
    return d == null ? otherwise : d.partitions().size();
  }

  /**
   * fund-commands, fund-flows and fund-definitions: a missing one is created like the others,
   * co-partitioned; token-prices like nav-updates.
   */
  private static int partitionsToCreate(
      TopicNames names, String topic, int partitions, Map<String, TopicDescription> found) {
    if (topic.equals(names.fundCommands()) || topic.equals(names.fundFlows())) {
      return partitionCount(found.get(names.fundDefinitions()), partitions);
    }
    if (topic.equals(names.tokenPrices())) {
      // Joined with nav-updates (and fund-state) by fundId: Kafka Streams requires equal counts.
      return partitionCount(found.get(names.navUpdates()), partitions);
    }
    if (topic.equals(names.fundDefinitions())) {
      return partitionCount(found.get(names.fundCommands()), partitions);
    }
    return partitions;
  }

  private static String missingMessage(
      TopicNames names, List<String> missing, int partitions, short replicationFactor) {
    StringBuilder sb =
        new StringBuilder("Missing topics (topics.create=false, so navstream does not create them):");
    for (String topic : missing) {
      sb.append(System.lineSeparator())
          .append("  ")
          .append(topic)
          .append(": kafka-topics.sh --bootstrap-server <bootstrap.servers> --create --topic ")
          .append(topic)
          .append(" --partitions ")
          .append(partitions);
      if (replicationFactor > 0) {
        sb.append(" --replication-factor ").append(replicationFactor);
      }
      if (names.isCompacted(topic)) {
        sb.append(" --config cleanup.policy=compact");
      }
    }
    sb.append(System.lineSeparator())
        .append("Create them as shown, or set topics.create=true (NAVSTREAM_TOPICS_CREATE=true) to let"
            + " navstream create them.");
    return sb.toString();
  }

  private static void fail(List<String> problems) {
    if (!problems.isEmpty()) {
      throw new TopicProvisioningException(String.join(System.lineSeparator(), problems));
    }
  }

  private <T> T await(KafkaFuture<T> future, long deadline, String what)
      throws ExecutionException {
    if (future == null) {
      throw new TopicProvisioningException("Kafka returned no result " + what);
    }
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new TopicProvisioningException(
          "Timed out after " + timeout.toMillis() + " ms (topics.provision.timeout.ms) " + what
              + "; are bootstrap.servers right and the brokers reachable?",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException("Interrupted while " + what, e);
    }
  }
}
