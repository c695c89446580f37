package io.navstream.bench;

import io.navstream.app.TopicProvisioner;
import io.navstream.avro.PriceTick;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.topology.NavTopology;
import io.navstream.topology.Topics;
import io.navstream.topology.TopicNames;
import io.navstream.topology.TopologySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One Kafka Streams app under test: navstream (the real configuration and topology, with topic
 * names prefixed per run and the guarantee overridden) or the pass-through baseline (same
 * settings, serdes and partitions; it fans each price out to F records). Knows how to tell when
 * it has drained its input.
 */
final class BenchApp implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  /** Where a run's topics and state live; every topic name starts with {@link #prefix}. */
  record Run(String prefix, Guarantee guarantee, int partitions, Map<String, String> kafkaOverrides) {
    /** Every one of navstream's topics, so that no run reads another's leftovers. */
    TopicNames topics() {
      return TopicNames.prefixed(prefix);
    }

    String passThroughOutput() {
      return prefix + "pass-through-out";
    }

    /** navstream's configuration: defaults (no file, no environment) plus the bench's layer. */
    NavstreamConfig config(BenchKafka kafka, String applicationId) {
      TopicNames t = topics();
      Map<String, String> o = new HashMap<>();
      o.put(ConfigKeys.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      o.put(ConfigKeys.REGISTRY_URL, "http://in-memory.invalid"); // unused: the bench's registry is in memory
      o.put(ConfigKeys.APPLICATION_ID, applicationId);
      o.put(ConfigKeys.STATE_DIR, kafka.workDir().resolve("state").resolve(applicationId).toString());
      o.put(ConfigKeys.PROCESSING_GUARANTEE, guarantee.config());
      o.put(ConfigKeys.TOPICS_PARTITIONS, Integer.toString(partitions));
      o.put(ConfigKeys.TOPICS_REPLICATION_FACTOR, "1");
      o.put(ConfigKeys.HTTP_ENABLED, "false");
      o.putAll(ConfigKeys.topicSettings(t));
      kafkaOverrides.forEach((k, v) -> o.put(ConfigKeys.KAFKA_PREFIX + k, v));
      return NavstreamConfig.load(null, Map.of()).withOverrides("bench", o);
    }
  }

  private final String name;
  private final KafkaStreams streams;
  private final Path stateDir;
  private final String applicationId;
  private final String input;
  private final String output;
  private final Guarantee guarantee;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private BenchApp(String name, Topology topology, Properties props, Guarantee guarantee,
      String input, String output) {
    this.name = name;
    this.applicationId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    this.stateDir = Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG));
    this.guarantee = guarantee;
    this.input = input;
    this.output = output;
    this.streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
          .StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
  }

  /** navstream as {@code run} wires it, topics provisioned as at its start. */
  static BenchApp navstream(BenchKafka kafka, Run run) {
    NavstreamConfig config = run.config(kafka, run.prefix() + "navstream");
    new TopicProvisioner(kafka.admin(), config.topicProvisionTimeout())
        .provision(config.topicNames(), config.partitions(), config.replicationFactor(), true);
    Topics topics = new Topics(config.topicNames(), kafka.avro());
    Topology topology = NavTopology.build(TopologySettings.live(config.partitions()), topics);
    return new BenchApp("navstream", topology, config.streamsProperties(), run.guarantee(),
        config.topicNames().prices(), config.topicNames().navUpdates());
  }

  /**
   * The baseline: reads the prices with the same Avro serde and writes {@code copies} records per
   * tick (the price itself, keyed {@code symbol#k}) with the same serde, under navstream's streams
   * settings. It creates its input (if missing) and output topic with the same partitions.
   */
  static BenchApp passThrough(BenchKafka kafka, Run run, int copies) {
    NavstreamConfig config = run.config(kafka, run.prefix() + "pass-through");
    String in = config.topicNames().prices();
    String out = run.passThroughOutput();
    var existing = BenchKafka.get(kafka.admin().listTopics().names(), "list topics");
    kafka.createTopics(List.of(in, out).stream().filter(t -> !existing.contains(t)).toList(),
        config.partitions());
    Serde<PriceTick> prices = kafka.avro().forValues(PriceTick.class);
    String[] suffixes = new String[copies];
    for (int k = 0; k < copies; k++) {
      suffixes[k] = "#" + k;
    }
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(in, Consumed.with(Serdes.String(), prices).withName("prices-source"))
        .flatMap((symbol, tick) -> {
          List<KeyValue<String, PriceTick>> fanned = new ArrayList<>(copies);
          for (String suffix : suffixes) {
            fanned.add(KeyValue.pair(symbol + suffix, tick));
          }
          return fanned;
        }, Named.as("fan-out"))
        .to(out, Produced.with(Serdes.String(), prices).withName("fan-out-sink"));
    return new BenchApp("pass-through", builder.build(), config.streamsProperties(), run.guarantee(),
        in, out);
  }

  String name() {
    return name;
  }

  String applicationId() {
    return applicationId;
  }

  String input() {
    return input;
  }

  String output() {
    return output;
  }

  KafkaStreams streams() {
    return streams;
  }

  Path stateDir() {
    return stateDir;
  }

  /** Starts and waits for RUNNING (with a paused app: assigned, nothing processed). */
  void start(Duration timeout) {
    streams.start();
    BenchKafka.await(name + " to run", timeout, () -> {
      checkAlive();
      return streams.state() == KafkaStreams.State.RUNNING;
    });
  }

  void pause() {
    streams.pause();
  }

  void resume() {
    streams.resume();
  }

  /**
   * Waits until the app has drained {@code inputRecords} ticks: under exactly-once, until its
   * committed offsets on the input reach them (outputs commit in the same transactions, so they
   * are visible to read_committed consumers); under at-least-once, where commits come only every
   * 30 s, until the output topic holds {@code outputRecords}.
   */
  void awaitDrained(BenchKafka kafka, long inputRecords, long outputRecords, Duration timeout,
      java.util.function.LongConsumer progress) {
    BenchKafka.await(name + " to drain " + inputRecords + " ticks", timeout, () -> {
      checkAlive();
      if (guarantee == Guarantee.EOS) {
        long committed = kafka.committedSum(applicationId, input);
        progress.accept(committed);
        return committed >= inputRecords;
      }
      long written = kafka.endOffsetSum(output);
      progress.accept(written * inputRecords / Math.max(1, outputRecords));
      return written >= outputRecords;
    });
  }

  void checkAlive() {
    Throwable e = failure.get();
    KafkaStreams.State state = streams.state();
    if (e != null || state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
      throw new IllegalStateException(name + " failed (state " + state + ")", e);
    }
  }

  @Override
  public void close() {
    streams.close(CLOSE_TIMEOUT);
  }
}
