package io.navstream.app;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.CreateTopicsResult.TopicMetadataAndConfig;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;

/**
 * An in-memory Kafka cluster behind the {@link Admin} interface, implementing only what {@link
 * TopicProvisioner} calls (describeTopics, createTopics, listOffsets, close); anything else fails
 * the test.
 * Kafka's MockAdminClient lives in a test jar that is not on the classpath.
 */
final class FakeAdmin implements InvocationHandler {
  /** Topic name to partition count. */
  final Map<String, Integer> topics = new LinkedHashMap<>();
  /** Every topic passed to createTopics, in order. */
  final List<NewTopic> createRequests = new ArrayList<>();
  /** Topics that another instance creates, with this many partitions, just before we try to. */
  final Map<String, Integer> createdConcurrently = new LinkedHashMap<>();
  /** Per-topic describe failures other than "unknown topic". */
  final Map<String, RuntimeException> describeFailures = new LinkedHashMap<>();
  /** How many list-offsets calls fail with this error before partitions are ready (null: none). */
  RuntimeException notReadyError;
  int notReadyCalls;
  /** Every partition asked for in list-offsets calls, one list per call. */
  final List<List<TopicPartition>> listOffsetsCalls = new ArrayList<>();
  /** How many describe calls name no leader (a topic just created, metadata not yet applied). */
  int leaderlessDescribes;
  int describeCalls;
  /** When set, describe never answers (to exercise timeouts). */
  boolean describeHangs;
  int closeCalls;

  final Admin admin =
      (Admin) Proxy.newProxyInstance(
          FakeAdmin.class.getClassLoader(), new Class<?>[] {Admin.class}, this);

  FakeAdmin withTopic(String name, int partitions) {
    topics.put(name, partitions);
    return this;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "describeTopics":
        if (args.length == 1 && args[0] instanceof Collection<?> names) {
          return describe((Collection<String>) names);
        }
        break;
      case "createTopics":
        if (args.length == 1 && args[0] instanceof Collection<?> newTopics) {
          return create((Collection<NewTopic>) newTopics);
        }
        break;
      case "listOffsets":
        if (args.length == 2 && args[0] instanceof Map<?, ?> partitions) {
          return listOffsets((Map<TopicPartition, OffsetSpec>) partitions);
        }
        break;
      case "close":
        closeCalls++;
        return null;
      case "toString":
        return "FakeAdmin" + topics;
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      default:
        break;
    }
    throw new UnsupportedOperationException("FakeAdmin does not implement " + method);
  }

  private DescribeTopicsResult describe(Collection<String> names) {
    Map<String, KafkaFuture<TopicDescription>> futures = new LinkedHashMap<>();
    boolean leaderless = ++describeCalls <= leaderlessDescribes;
    for (String name : names) {
      KafkaFuture<TopicDescription> f;
      if (describeHangs) {
        f = new KafkaFutureImpl<>();
      } else if (describeFailures.containsKey(name)) {
        f = failed(describeFailures.get(name));
      } else if (topics.containsKey(name)) {
        f = KafkaFuture.completedFuture(description(name, topics.get(name), leaderless));
      } else {
        f = failed(new UnknownTopicOrPartitionException("This server does not host " + name));
      }
      futures.put(name, f);
    }
    return new DescribeTopicsResult(null, futures) {};
  }

  private ListOffsetsResult listOffsets(Map<TopicPartition, OffsetSpec> partitions) {
    listOffsetsCalls.add(List.copyOf(partitions.keySet()));
    boolean ready = notReadyError == null || listOffsetsCalls.size() > notReadyCalls;
    Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> futures = new LinkedHashMap<>();
    for (TopicPartition tp : partitions.keySet()) {
      boolean exists = topics.getOrDefault(tp.topic(), 0) > tp.partition();
      futures.put(tp, !exists
          ? failed(new UnknownTopicOrPartitionException("This server does not host " + tp))
          : ready ? KafkaFuture.completedFuture(new ListOffsetsResultInfo(0L, -1L, Optional.empty()))
          : failed(notReadyError));
    }
    return new ListOffsetsResult(futures);
  }

  private CreateTopicsResult create(Collection<NewTopic> newTopics) {
    Map<String, KafkaFuture<TopicMetadataAndConfig>> futures = new LinkedHashMap<>();
    for (NewTopic nt : newTopics) {
      createRequests.add(nt);
      Integer theirs = createdConcurrently.get(nt.name());
      if (theirs != null) {
        topics.put(nt.name(), theirs);
      }
      if (topics.containsKey(nt.name())) {
        futures.put(nt.name(), failed(new TopicExistsException(nt.name() + " already exists")));
      } else {
        topics.put(nt.name(), nt.numPartitions());
        futures.put(nt.name(), KafkaFuture.completedFuture(null));
      }
    }
    return new CreateTopicsResult(futures) {};
  }

  private static TopicDescription description(String name, int partitions, boolean leaderless) {
    Node node = new Node(1, "localhost", 9092);
    Node leader = leaderless ? null : node;
    List<TopicPartitionInfo> infos =
        IntStream.range(0, partitions)
            .mapToObj(p -> new TopicPartitionInfo(p, leader, List.of(node), List.of(node)))
            .toList();
    return new TopicDescription(name, false, infos);
  }

  private static <T> KafkaFuture<T> failed(RuntimeException e) {
    KafkaFutureImpl<T> f = new KafkaFutureImpl<>();
    f.completeExceptionally(e);
    return f;
  }
}
