package io.navstream.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.navstream.app.NavstreamApp;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PriceTick;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * navstream and a Confluent-protocol client it did not write (Python's confluent-kafka with its
 * registry-aware Avro serializer, librdkafka underneath) read each other's records through the
 * same registry: the Python client decodes navstream's NAV updates exactly, and price ticks it
 * encodes and partitions are consumed by navstream, on the right partitions.
 *
 * <p>Needs Debian's {@code /usr/bin/python3} with python3-confluent-kafka, python3-avro and
 * python3-requests; fails, not skips, without them.
 */
@ExtendWith(KafkaStackExtension.class)
class CrossClientIT {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String PACKAGES = "python3-confluent-kafka python3-avro python3-requests";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void pythonClientIsInstalled() throws Exception {
    if (!Files.isExecutable(PYTHON)) {
      fail(PYTHON + " is missing: install Debian's python3 and " + PACKAGES
          + " (apt-get install -y " + PACKAGES + ")");
    }
    Process check = new ProcessBuilder(PYTHON.toString(), "-c",
        "import confluent_kafka, confluent_kafka.avro, avro, requests").redirectErrorStream(true).start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
      fail("The Python Confluent client is not installed (apt-get install -y " + PACKAGES + "): "
          + output.strip());
    }
  }

  @Test
  void thePythonClientDecodesNavUpdatesExactlyAsNavstreamWroteThem(KafkaStack stack) throws IOException {
    Path work = Files.createDirectories(stack.workDir().resolve("out"));
    TopicNames names = StackClients.uniqueTopics("cross-client-out");
    List<Input.Definition> funds = Scenarios.pipelineFunds();
    List<Input> inputs = new ArrayList<>(funds);
    inputs.addAll(Scenarios.pipelinePrices());
    RunOutputs expected = ReferenceRun.run(names, 2, inputs);

    try (StackClients clients = new StackClients(stack);
        NavstreamApp app = new NavstreamApp(
            clients.config(StackClients.uniqueName("cross-client"), names, 2, work.resolve("state")))) {
      Topics topics = clients.topics(names);
      app.start();
      clients.produce(topics, funds);
      clients.readUntil(List.of(names.fundState()), read -> read.size() >= funds.size(),
          StackClients.OUTPUT_TIMEOUT, "PENDING fund states");
      clients.produce(topics, inputs.subList(funds.size(), inputs.size()));
      int navCount = expected.count(RunOutputs.NAV);
      List<ConsumerRecord<String, byte[]>> written = clients.readUntil(List.of(names.navUpdates()),
          read -> read.size() >= navCount, StackClients.OUTPUT_TIMEOUT, navCount + " NAV updates");

      List<String> lines = python(work, "consume", stack, names.navUpdates(),
          "--count", String.valueOf(written.size()));

      Map<String, JsonNode> byPython = new TreeMap<>();
      for (String line : lines) {
        JsonNode node = parse(line);
        byPython.put(node.get("partition").asInt() + "@" + node.get("offset").asLong(), node);
      }
      Map<String, JsonNode> byNavstream = new TreeMap<>();
      for (ConsumerRecord<String, byte[]> r : written) {
        NavUpdate nav = topics.navUpdates().valueSerde().deserializer().deserialize(r.topic(), r.value());
        byNavstream.put(r.partition() + "@" + r.offset(), asPythonPrints(r, nav));
      }
      assertThat(byPython).hasSize(navCount);
      assertThat(byPython).isEqualTo(byNavstream);
      TestLog.line("CrossClientIT: Python decoded %d NAV updates exactly as navstream wrote them",
          byPython.size());
    }
  }

  @Test
  void navstreamConsumesTicksThePythonClientEncodesAndPartitions(KafkaStack stack) throws IOException {
    Path work = Files.createDirectories(stack.workDir().resolve("in"));
    int partitions = 3;
    List<String> underlyings = List.of(Scenarios.BTC, Scenarios.ETH, Scenarios.SOL);
    TopicNames names = StackClients.uniqueTopics("cross-client-in");
    List<Input.Definition> funds = Scenarios.busyFunds(underlyings);
    List<Input.Price> ticks = Scenarios.randomWalk(7L, underlyings, 100, Duration.ofMinutes(30), 0.01);
    List<Input> inputs = new ArrayList<>(funds);
    inputs.addAll(ticks);
    RunOutputs expected = ReferenceRun.run(names, partitions, inputs);

    try (StackClients clients = new StackClients(stack);
        NavstreamApp app = new NavstreamApp(clients.config(
            StackClients.uniqueName("cross-client"), names, partitions, work.resolve("state")))) {
      Topics topics = clients.topics(names);
      app.start();
      clients.produce(topics, funds);
      clients.readUntil(List.of(names.fundState()), read -> read.size() >= funds.size(),
          StackClients.OUTPUT_TIMEOUT, "PENDING fund states");

      Path schema = Files.writeString(work.resolve("PriceTick.avsc"), PriceTick.getClassSchema().toString());
      Path input = work.resolve("ticks.jsonl");
      List<String> tickLines = new ArrayList<>();
      for (Input.Price t : ticks) {
        ObjectNode line = JSON.createObjectNode();
        line.put("symbol", t.value().getSymbol());
        line.put("price", t.value().getPrice().toPlainString());
        line.put("eventTime", t.value().getEventTime().toEpochMilli());
        tickLines.add(line.toString());
      }
      Files.write(input, tickLines);
      List<String> delivered = python(work, "produce", stack, names.prices(),
          "--schema-file", schema.toString(), "--input", input.toString());

      assertThat(delivered).hasSize(ticks.size());
      for (String line : delivered) {
        JsonNode d = parse(line);
        byte[] key = d.get("key").asText().getBytes(StandardCharsets.UTF_8);
        assertThat(d.get("partition").asInt()).as("partition of %s", d.get("key").asText())
            .isEqualTo(Utils.toPositive(Utils.murmur2(key)) % partitions);
      }
      RunOutputs actual = clients.readOutputs(topics, expected, StackClients.OUTPUT_TIMEOUT);
      assertThat(actual.differencesFrom(expected)).isEmpty();
      assertThat(actual.byKey(RunOutputs.NAV)).hasSize(funds.size());
      TestLog.line("CrossClientIT: navstream turned %d Python-encoded ticks into %s, as the reference",
          ticks.size(), actual.counts());
    }
  }

  /** A NAV update as the Python client prints it: decimals plain, times in epoch ms, enums named. */
  private static JsonNode asPythonPrints(ConsumerRecord<String, byte[]> r, NavUpdate nav) {
    // Every field of the schema, so that a field added to NavUpdate is compared too.
    ObjectNode value = JSON.createObjectNode();
    for (org.apache.avro.Schema.Field field : nav.getSchema().getFields()) {
      Object v = nav.get(field.pos());
      if (v == null) {
        value.putNull(field.name());
      } else if (v instanceof BigDecimal d) {
        value.put(field.name(), plain(d));
      } else if (v instanceof java.time.Instant t) {
        value.put(field.name(), t.toEpochMilli());
      } else if (v instanceof Enum<?> e) {
        value.put(field.name(), e.name());
      } else if (v instanceof Long l) {
        value.put(field.name(), l);
      } else if (v instanceof Integer i) {
        value.put(field.name(), i);
      } else {
        value.put(field.name(), v.toString());
      }
    }
    ObjectNode record = JSON.createObjectNode();
    record.put("topic", r.topic());
    record.put("partition", r.partition());
    record.put("offset", r.offset());
    record.put("key", r.key());
    record.put("timestamp", r.timestamp());
    record.set("value", value);
    // Through text, so that numbers get the same node types as the parsed Python output.
    return parse(record.toString());
  }

  private static String plain(BigDecimal value) {
    return value.toPlainString();
  }

  /** Runs the Python client; its stdout lines, or a failure with its stderr. */
  private static List<String> python(Path work, String mode, KafkaStack stack, String topic, String... more) {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString(), script().toString(), mode,
        "--bootstrap", stack.bootstrapServers(), "--registry", stack.registryUrl(), "--topic", topic,
        "--timeout", String.valueOf(SCRIPT_TIMEOUT.toSeconds() - 10)));
    command.addAll(List.of(more));
    Path out = work.resolve("python-" + mode + ".out");
    Path err = work.resolve("python-" + mode + ".err");
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(SCRIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        fail("The Python client did not finish within " + SCRIPT_TIMEOUT + ": " + command
            + "\n" + Files.readString(err));
      }
      String errors = Files.readString(err);
      if (process.exitValue() != 0) {
        fail("The Python client failed (exit " + process.exitValue() + "): " + command + "\n" + errors);
      }
      return Files.readAllLines(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted running " + command, e);
    }
  }

  private static Path script() {
    try {
      return Path.of(CrossClientIT.class.getResource("/it/confluent_client.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("Not JSON: " + json, e);
    }
  }
}
