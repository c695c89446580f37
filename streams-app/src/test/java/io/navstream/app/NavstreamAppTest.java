package io.navstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.config.NavstreamConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's lifecycle without a broker: nothing here gets as far as connecting to Kafka. */
class NavstreamAppTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path stateDir;

  private final FakeAdmin kafka = new FakeAdmin();
  private final List<Map<String, Object>> adminConfigs = new ArrayList<>();
  private final AtomicInteger resourceCloses = new AtomicInteger();
  private NavstreamApp app;

  @AfterEach
  void closeApp() {
    if (app != null) {
      app.close();
    }
  }

  /** A port nobody listens on, so that an accidental connection attempt fails fast. */
  private static int unusedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private NavstreamApp newApp(Map<String, String> extraEnv) throws IOException {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("NAVSTREAM_BOOTSTRAP_SERVERS", "localhost:" + unusedPort());
    env.put("NAVSTREAM_STATE_DIR", stateDir.toString());
    env.put("NAVSTREAM_APPLICATION_ID", "navstream-app-test");
    NavstreamConfig config = NavstreamConfig.load(null, env);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(config.topicNames().prices(), Consumed.with(Serdes.String(), Serdes.String()))
        .to(config.topicNames().navUpdates(), Produced.with(Serdes.String(), Serdes.String()));
    Topology topology = builder.build();
    app =
        new NavstreamApp(
            config,
            new NavstreamApp.Wiring(topology, resourceCloses::incrementAndGet),
            adminConfig -> {
              adminConfigs.add(adminConfig);
              return kafka.admin;
            });
    return app;
  }

  @Test
  void closingBeforeStartTerminatesAsNotRunningAndReleasesResourcesOnce() throws Exception {
    NavstreamApp app = newApp(Map.of());
    assertThat(app.state()).isEqualTo(State.CREATED);
    assertThat(app.awaitTermination(Duration.ZERO)).isEmpty();

    app.close();
    app.close();

    assertThat(app.awaitTermination(WAIT)).contains(State.NOT_RUNNING);
    assertThat(app.awaitTermination()).isEqualTo(State.NOT_RUNNING);
    assertThat(resourceCloses).hasValue(1);
    assertThatThrownBy(app::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void startFailsOnMissingTopicsBeforeStartingTheStreams() throws Exception {
    NavstreamApp app =
        newApp(Map.of("NAVSTREAM_TOPICS_CREATE", "false", "NAVSTREAM_KAFKA_REQUEST_TIMEOUT_MS", "12345"));

    assertThatThrownBy(app::start)
        .isInstanceOf(TopicProvisioningException.class)
        .hasMessageContaining("Missing topics");

    assertThat(app.state()).isEqualTo(State.CREATED);
    assertThat(kafka.closeCalls).as("admin client closed").isEqualTo(1);
    assertThat(kafka.createRequests).isEmpty();
    // The admin client gets the connection settings and the kafka.* pass-through.
    assertThat(adminConfigs).singleElement().satisfies(c -> {
      assertThat(String.valueOf(c.get("bootstrap.servers"))).startsWith("localhost:");
      assertThat(String.valueOf(c.get("request.timeout.ms"))).isEqualTo("12345");
    });
    app.close();
    assertThat(app.awaitTermination(WAIT)).contains(State.NOT_RUNNING);
  }

  @Test
  void startedAppTerminatesAsNotRunningWhenClosedFromAnotherThread() throws Exception {
    NavstreamApp app = newApp(Map.of());
    app.config().topicNames().inputs().values().forEach(t -> kafka.withTopic(t, 6));

    app.start();
    assertThat(kafka.createRequests).hasSize(app.config().topicNames().outputs().size());
    assertThat(app.state()).isIn(State.REBALANCING, State.RUNNING);

    Thread closer = new Thread(app::close, "test-closer");
    closer.start();
    assertThat(app.awaitTermination(WAIT)).contains(State.NOT_RUNNING);
    closer.join(WAIT.toMillis());
    assertThat(closer.isAlive()).isFalse();
    assertThat(resourceCloses).hasValue(1);
  }

  @Test
  void exposesTheStreamsForLaterFeatures() throws Exception {
    NavstreamApp app = newApp(Map.of());
    assertThat(app.streams()).isNotNull();
    assertThat(app.streams().state()).isEqualTo(app.state());
    assertThat(app.config().applicationId()).isEqualTo("navstream-app-test");
  }

  @Test
  void premiumEnabledFalseLeavesThePremiumJoinOutOfTheTopology() throws Exception {
    // The registry client is lazy: building the topology calls no registry.
    String registry = "http://127.0.0.1:9/unused";
    NavstreamApp.Wiring on = NavstreamApp.Wiring.live(
        NavstreamConfig.load(null, Map.of("NAVSTREAM_SCHEMA_REGISTRY_URL", registry)));
    NavstreamApp.Wiring off = NavstreamApp.Wiring.live(NavstreamConfig.load(null,
        Map.of("NAVSTREAM_SCHEMA_REGISTRY_URL", registry, "NAVSTREAM_PREMIUM_ENABLED", "false")));
    try {
      assertThat(on.topology().describe().toString())
          .contains("token-prices").contains("nav-history").contains("latest-premiums");
      String without = off.topology().describe().toString();
      assertThat(without).doesNotContain("token-prices").doesNotContain("nav-history")
          .doesNotContain("latest-premiums");
      assertThat(without).contains("fund-book-processor").contains("nav-candle-builder");
    } finally {
      on.resources().close();
      off.resources().close();
    }
  }
}
