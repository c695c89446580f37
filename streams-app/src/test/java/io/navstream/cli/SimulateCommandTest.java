package io.navstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.app.TopicProvisioningException;
import io.navstream.config.NavstreamConfig;
import io.navstream.serde.InMemorySchemaRegistry;
import io.navstream.simulator.FakeWallClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  private static final String[] KAFKA = {
    "--bootstrap-servers", "kafka:9092", "--schema-registry-url", "http://registry:8081"
  };

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  /** Read by the wiring at each run, so a test can give a second run a fresh producer. */
  private MockProducer<String, byte[]> producer = newProducer();
  private final List<Properties> producerSettings = new ArrayList<>();
  private final List<NavstreamConfig> provisioned = new ArrayList<>();
  private Consumer<NavstreamConfig> provisioner = provisioned::add;

  /** Everything in memory: no Kafka, no registry, a wall clock that never waits, no environment. */
  private SimulateCommand.Wiring wiring() {
    return new SimulateCommand.Wiring(
        Map.of(),
        config -> provisioner.accept(config),
        config -> new InMemorySchemaRegistry(),
        props -> {
          producerSettings.add(props);
          return producer;
        },
        new FakeWallClock(),
        () -> Instant.parse("2025-06-01T12:34:56.789Z"));
  }

  private static MockProducer<String, byte[]> newProducer() {
    return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  }

  private int run(SimulateCommand command, String... args) {
    CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private int run(String... args) {
    return run(new SimulateCommand(wiring()), args);
  }

  private static String[] withKafka(String... args) {
    String[] all = new String[KAFKA.length + args.length];
    System.arraycopy(KAFKA, 0, all, 0, KAFKA.length);
    System.arraycopy(args, 0, all, KAFKA.length, args.length);
    return all;
  }

  private List<ProducerRecord<String, byte[]>> recordsOf(String topic) {
    return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
  }

  @Test
  void helpDocumentsTheOptionsAndExitCodes() {
    int exit = run(new SimulateCommand(), "--help");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("--symbols=SYMBOL[=PRICE]", "--rate=N", "--seed=N", "--day-length=DURATION",
            "--start=INSTANT", "--duration=DURATION", "--max-ticks=N", "--[no-]funding",
            "--publish-demo-funds", "--bootstrap-servers", "--schema-registry-url", "--config=FILE")
        .contains("(default: BTC-USDT=60000,", "ETH-USDT=3000,SOL-USDT=150)")
        .contains("Exit codes:");
  }

  @Test
  void aMalformedDurationIsAUsageError() {
    int exit = run(new SimulateCommand(), "--day-length", "2 minutes");

    assertThat(exit).isEqualTo(SimulateCommand.EXIT_CONFIG);
    assertThat(err.toString()).contains("--day-length").contains("'2 minutes' is not an ISO-8601 duration");
  }

  @Test
  void aMalformedStartIsAUsageError() {
    int exit = run(new SimulateCommand(), "--start", "2025-01-01");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("is not an ISO-8601 UTC instant such as 2025-01-01T00:00:00Z");
  }

  @Test
  void aSymbolWithoutPriceOrDefaultIsAUsageError() {
    int exit = run(new SimulateCommand(), "--symbols", "BTC-USDT,DOGE-USDT");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("DOGE-USDT has no default start price; give one as DOGE-USDT=PRICE");
  }

  @Test
  void aBadStartPriceIsAUsageError() {
    assertThat(run(new SimulateCommand(), "--symbols", "BTC-USDT=abc")).isEqualTo(2);
    assertThat(err.toString()).contains("'abc' is not a start price for BTC-USDT");
    assertThat(run(new SimulateCommand(), "--symbols", "BTC-USDT=-5")).isEqualTo(2);
    assertThat(run(new SimulateCommand(), "--symbols", "BTC-USDT=NaN")).isEqualTo(2);
  }

  @Test
  void outOfRangeNumbersAreUsageErrors() {
    assertThat(run("--rate", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--rate 0.0 must be above 0");
    assertThat(run("--max-ticks", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--max-ticks 0 must be at least 1");
    assertThat(run("--duration", "PT0S")).isEqualTo(2);
    assertThat(run("--symbols", "BTC-USDT,BTC-USDT=1")).isEqualTo(2);
    assertThat(err.toString()).contains("names BTC-USDT twice");
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void aRateTooFastForMillisecondTicksIsAUsageError() {
    int exit = run("--rate", "1000", "--day-length", "P30D");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("lower the rate or lengthen the day");
  }

  @Test
  void anUnknownOptionIsAUsageError() {
    assertThat(run(new SimulateCommand(), "--speed", "3")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown options: '--speed', '3'");
  }

  @Test
  void withoutKafkaOrRegistryItNamesBothAndTheWaysToGiveThem() {
    int exit = run();

    assertThat(exit).isEqualTo(SimulateCommand.EXIT_CONFIG);
    assertThat(err.toString())
        .contains("no Kafka given: use --bootstrap-servers")
        .contains("NAVSTREAM_BOOTSTRAP_SERVERS")
        .contains("no schema registry given: use --schema-registry-url");
    assertThat(provisioned).isEmpty();
  }

  @Test
  void anInvalidConfigFileIsReportedWithTheKey() throws IOException {
    Path file = dir.resolve("navstream.properties");
    Files.write(file, List.of("topics.prises=p"), StandardCharsets.UTF_8);

    int exit = run(withKafka("--config", file.toString()));

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("Invalid configuration:").contains("topics.prises");
  }

  @Test
  void itPublishesTheDemoFundsThenTheMarketUntilTheDuration() {
    int exit = run(withKafka("--start", "2025-01-01T00:00:00Z", "--day-length", "PT2M",
        "--duration", "PT1M", "--publish-demo-funds"));

    assertThat(exit).as(err.toString()).isZero();
    // One wall minute of two-minute days: 12 simulated hours, a tick every 72 s (601 a symbol)
    // and the 08:00 funding.
    assertThat(recordsOf("fund-definitions")).hasSize(8);
    assertThat(recordsOf("prices")).hasSize(3 * 601);
    assertThat(recordsOf("funding-rates")).hasSize(3);
    assertThat(producer.history().subList(0, 8)).extracting(ProducerRecord::topic)
        .containsOnly("fund-definitions");
    assertThat(recordsOf("prices").get(3 * 601 - 1).timestamp())
        .isEqualTo(Instant.parse("2025-01-01T12:00:00Z").toEpochMilli());
    assertThat(out.toString())
        .contains("Simulating BTC-USDT=60000, ETH-USDT=3000, SOL-USDT=150 from 2025-01-01T00:00:00Z,"
            + " seed 42: 10 ticks/s per symbol, a simulated day every PT2M (720x), a tick every"
            + " PT1M12S of simulated time, funding every PT8H.")
        .contains("Published 8 demo fund definitions to fund-definitions.")
        .contains("Done: 1,803 price ticks and 3 funding rates (after 8 fund definitions)")
        .contains("--start 2025-01-01T12:00:00.001Z");
    assertThat(producer.closed()).isTrue();
    assertThat(provisioned).singleElement()
        .satisfies(c -> assertThat(c.bootstrapServers()).contains("kafka:9092"));
    assertThat(producerSettings).singleElement().satisfies(p -> assertThat(p)
        .containsEntry("bootstrap.servers", "kafka:9092").containsEntry("acks", "all"));
  }

  @Test
  void maxTicksNoFundingAndTheDefaultStartAreHonoured() {
    int exit = run(withKafka("--max-ticks", "7", "--no-funding", "--symbols", "SOL-USDT=151.5"));

    assertThat(exit).as(err.toString()).isZero();
    assertThat(recordsOf("prices")).hasSize(7).extracting(ProducerRecord::key).containsOnly("SOL-USDT");
    assertThat(recordsOf("funding-rates")).isEmpty();
    assertThat(recordsOf("fund-definitions")).isEmpty();
    // Now, to the second.
    assertThat(recordsOf("prices").get(0).timestamp())
        .isEqualTo(Instant.parse("2025-06-01T12:34:56Z").toEpochMilli());
    assertThat(out.toString()).contains("no funding").contains("Done: 7 price ticks and 0 funding rates");
  }

  @Test
  void theSameOptionsPublishTheSameRecords() {
    String[] args = withKafka("--start", "2025-01-01T00:00:00Z", "--max-ticks", "50", "--seed", "9");
    assertThat(run(args)).isZero();
    List<String> first = producer.history().stream()
        .map(r -> r.key() + "@" + r.timestamp() + ":" + Arrays.toString(r.value())).toList();
    producer = newProducer();

    assertThat(run(args)).isZero();
    List<String> second = producer.history().stream()
        .map(r -> r.key() + "@" + r.timestamp() + ":" + Arrays.toString(r.value())).toList();

    assertThat(first).hasSize(50).isEqualTo(second);
  }

  @Test
  void aFailingSendExitsWithOne() {
    producer.sendException = new KafkaException("broker unreachable");

    int exit = run(withKafka("--max-ticks", "5"));

    assertThat(exit).isEqualTo(SimulateCommand.EXIT_FAILED);
    assertThat(err.toString()).contains("broker unreachable");
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void missingTopicsExitWithOne() {
    provisioner = config -> {
      throw new TopicProvisioningException("Missing topics: prices");
    };

    int exit = run(withKafka("--max-ticks", "5"));

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("Missing topics: prices");
    assertThat(producer.history()).isEmpty();
  }
}
