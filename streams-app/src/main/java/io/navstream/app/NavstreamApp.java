package io.navstream.app;

import io.navstream.config.NavstreamConfig;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.topology.NavTopology;
import io.navstream.topology.Topics;
import io.navstream.topology.TopologySettings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running navstream instance: configuration in, a started {@link KafkaStreams} out.
 *
 * <p>Wiring: config → schema registry client → Avro serdes → topic registry → topology → Kafka
 * Streams. {@link #start()} first checks and creates the topics ({@link TopicProvisioner}), then
 * starts the streams. Failed stream threads are replaced, unless they keep failing ({@link
 * ThreadFailureHandler}). Local state is never wiped on start: stores restore from where they were.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #awaitTermination()} until the instance stops on
 * its own or another thread calls {@link #close()}. {@code close()} is idempotent and thread-safe,
 * so a shutdown hook and the main thread may both call it.
 */
public final class NavstreamApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NavstreamApp.class);
  private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The topology and whatever must be closed with the app (the registry client). */
  record Wiring(Topology topology, AutoCloseable resources) {
    Wiring {
      Objects.requireNonNull(topology, "topology");
      Objects.requireNonNull(resources, "resources");
    }

    static Wiring live(NavstreamConfig config) {
      SchemaRegistry registry = SchemaRegistries.connect(config.registrySettings());
      try {
        AvroSerdes avro = new AvroSerdes(registry, config.registrySettings().autoRegister());
        Topics topics = new Topics(config.topicNames(), avro);
        Topology topology =
            NavTopology.build(TopologySettings.live(config.partitions())
                .withPremium(config.premiumGrace(), config.premiumAlertThreshold()), topics);
        return new Wiring(topology, registry);
      } catch (RuntimeException | Error e) {
        registry.close();
        throw e;
      }
    }
  }

  private final NavstreamConfig config;
  private final KafkaStreams streams;
  private final AutoCloseable resources;
  private final Function<Map<String, Object>, Admin> adminFactory;
  /** Completed by the state listener with NOT_RUNNING or ERROR, whichever comes first. */
  private final CompletableFuture<State> terminated = new CompletableFuture<>();

  private boolean started;
  private boolean closed;

  /** Connects to the schema registry and builds the topology; nothing runs until {@link #start()}. */
  public NavstreamApp(NavstreamConfig config) {
    this(config, Wiring.live(config), Admin::create);
  }

  NavstreamApp(
      NavstreamConfig config, Wiring wiring, Function<Map<String, Object>, Admin> adminFactory) {
    this.config = Objects.requireNonNull(config, "config");
    this.resources = wiring.resources();
    this.adminFactory = Objects.requireNonNull(adminFactory, "adminFactory");
    try {
      this.streams = new KafkaStreams(wiring.topology(), config.streamsProperties());
    } catch (RuntimeException e) {
      closeQuietly(wiring.resources());
      throw e;
    }
    streams.setStateListener(this::onStateChange);
    streams.setUncaughtExceptionHandler(
        new ThreadFailureHandler(
            new ThreadFailureWindow(config.maxThreadFailures(), config.threadFailureWindow())));
  }

  /**
   * Checks or creates the topics, then starts processing. Returns once the streams are starting;
   * use {@link #awaitTermination()} to wait for the end.
   *
   * @throws TopicProvisioningException when the topics are missing or mis-shaped; nothing has been
   *     started then, and the caller should {@link #close()}
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("navstream is closed");
    }
    if (started) {
      throw new IllegalStateException("navstream is already started");
    }
    started = true;
    provisionTopics();
    log.info("Starting Kafka Streams application {}", config.applicationId());
    streams.start();
  }

  private void provisionTopics() {
    // Derived from the streams settings so that kafka.* security settings reach the admin client too.
    Map<String, Object> adminConfig =
        new StreamsConfig(config.streamsProperties())
            .getAdminConfigs(config.applicationId() + "-topic-provisioner");
    Admin admin = adminFactory.apply(adminConfig);
    try {
      new TopicProvisioner(admin, config.topicProvisionTimeout())
          .provision(
              config.topicNames(),
              config.partitions(),
              config.replicationFactor(),
              config.createTopics());
    } finally {
      admin.close(ADMIN_CLOSE_TIMEOUT);
    }
  }

  /**
   * Blocks until the instance has stopped: NOT_RUNNING after {@link #close()}, or ERROR when it
   * shut itself down (too many thread failures, a fatal error).
   */
  public State awaitTermination() throws InterruptedException {
    try {
      return terminated.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the state future is never failed", e);
    }
  }

  /** As {@link #awaitTermination()}, giving up after {@code timeout}; empty when still running. */
  public Optional<State> awaitTermination(Duration timeout) throws InterruptedException {
    try {
      return Optional.of(terminated.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the state future is never failed", e);
    }
  }

  /** The current state of the streams. */
  public State state() {
    return streams.state();
  }

  /** The underlying Kafka Streams, for interactive queries and metrics. Do not close it directly. */
  public KafkaStreams streams() {
    return streams;
  }

  public NavstreamConfig config() {
    return config;
  }

  /**
   * Stops processing, waiting up to {@code shutdown.timeout.ms}, and releases the registry client.
   * Commits and closes state stores cleanly, so the next start restores nothing it need not.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    Duration timeout = config.shutdownTimeout();
    log.info("Stopping navstream (waiting up to {})", timeout);
    // Leave the group so the partitions move at once, unless this instance has a static identity
    // (group.instance.id): then its restart takes them back without a rebalance.
    boolean staticMember = config.kafkaSettings().containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    CloseOptions options = CloseOptions.groupMembershipOperation(staticMember
            ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
            : CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(timeout);
    if (!streams.close(options)) {
      log.warn(
          "Kafka Streams did not stop within {} (shutdown.timeout.ms); giving up waiting", timeout);
    }
    closeQuietly(resources);
  }

  private void onStateChange(State newState, State oldState) {
    if (newState == State.ERROR || newState == State.PENDING_ERROR) {
      log.error("Kafka Streams state {} -> {}", oldState, newState);
    } else {
      log.info("Kafka Streams state {} -> {}", oldState, newState);
    }
    if (newState == State.NOT_RUNNING || newState == State.ERROR) {
      terminated.complete(newState);
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      log.warn("Failed to close {}", resource, e);
    }
  }
}
