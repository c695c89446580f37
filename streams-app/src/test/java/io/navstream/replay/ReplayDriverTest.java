package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.navstream.replay.testsupport.EchoTopology;
import io.navstream.replay.testsupport.JsonLinesFile;
import io.navstream.replay.testsupport.PriceSeriesGenerator;
import io.navstream.replay.testsupport.QuietKafkaLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(QuietKafkaLogs.class)
class ReplayDriverTest {
  private static final String FUNDS =
      """
      [
        {"fundId": "BTC3L", "underlying": "BTC", "direction": "LONG", "targetLeverage": 3,
         "initialNav": 1, "initialShares": 1, "dailyRebalanceTime": "00:00"},
        {"fundId": "BAD", "underlying": "BTC", "direction": "LONG"},
        {"fundId": "ODD", "underlying": "BTC", "direction": "diagonal", "targetLeverage": 3,
         "initialNav": 1, "initialShares": 1, "effectiveTime": "2025-01-01T00:00:01Z"},
        {"fundId": "BTC3L", "retired": true, "effectiveTime": "2025-01-01T00:00:03Z"}
      ]
      """;

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private ReplayDriver.Builder echo(Path funds, Path prices, Path funding) {
    return ReplayDriver.builder()
        .funds(funds)
        .prices(prices)
        .funding(funding)
        .outputDirectory(dir.resolve("out/nested"))
        .diagnostics(new PrintWriter(err, true))
        .topology(EchoTopology::build)
        .streamsOverrides(EchoTopology.CONTINUE_ON_ERRORS);
  }

  private List<String> navFundIds() throws IOException {
    List<String> ids = new ArrayList<>();
    for (JsonNode line : JsonLinesFile.read(dir.resolve("out/nested/nav-updates.jsonl"))) {
      ids.add(line.get("fundId").textValue() + "@" + line.get("eventTime").textValue());
    }
    return ids;
  }

  @Test
  void feedsInputsInMergedOrderAndWritesEveryOutput() throws IOException {
    Path funds = write("funds.json", FUNDS);
    Path prices =
        write(
            "prices.csv",
            """
            timestamp,symbol,price
            2025-01-01T00:00:00Z,BTC,100
            2025-01-01T00:00:02Z,BTC,102
            2025-01-01T00:00:01Z,BTC,101
            oops,BTC,1
            2025-01-01T00:00:03Z,BTC,103
            """);
    Path funding =
        write(
            "funding.csv",
            """
            timestamp,symbol,rate
            2025-01-01T00:00:01Z,BTC,0.0001
            2025-01-01T00:00:03Z,BTC,-0.0002
            """);

    ReplayResult result = echo(funds, prices, funding).build().run();

    assertThat(result.definitionsIn()).isEqualTo(3);
    assertThat(result.retirementsIn()).isEqualTo(1);
    assertThat(result.pricesIn()).isEqualTo(4);
    assertThat(result.fundingIn()).isEqualTo(2);
    assertThat(result.badRows()).isEqualTo(2);
    assertThat(result.notDelivered()).isZero();
    // Undated definition first, at the first price's time; ties: definition, funding, price;
    // the late tick at :01 stays after :02. Echoed definitions carry their effectiveTime (or the
    // epoch when they have none); ODD (at :01) and the negative rate (at :03) are rejected before
    // they reach nav-updates.
    assertThat(navFundIds())
        .containsExactly(
            "definition:BTC3L@1970-01-01T00:00:00Z",
            "price:BTC@2025-01-01T00:00:00Z",
            "funding:BTC@2025-01-01T00:00:01Z",
            "price:BTC@2025-01-01T00:00:02Z",
            "price:BTC@2025-01-01T00:00:01Z",
            "retirement:BTC3L@1970-01-01T00:00:00Z",
            "price:BTC@2025-01-01T00:00:03Z");
    assertThat(result.navUpdatesOut()).isEqualTo(7);

    List<JsonNode> states = JsonLinesFile.read(dir.resolve("out/nested/fund-state.jsonl"));
    assertThat(states).hasSize(2);
    assertThat(states.get(0).get("definition").get("targetLeverage").textValue())
        .isEqualTo("3.000000000000000000");
    assertThat(states.get(1).toString()).isEqualTo("{\"key\":\"BTC3L\",\"tombstone\":true}");
    assertThat(result.fundStatesOut()).isEqualTo(2);

    assertThat(dir.resolve("out/nested/rebalance-instructions.jsonl")).isEmptyFile();

    List<JsonNode> dead = JsonLinesFile.read(dir.resolve("out/nested/dead-letter.jsonl"));
    assertThat(dead).hasSize(2);
    assertThat(result.deadLettersOut()).isEqualTo(2);
    assertThat(result.rejected()).isEqualTo(4);
    JsonNode odd = dead.get(0);
    assertThat(odd.get("key").textValue()).isEqualTo("ODD");
    assertThat(odd.get("sourceTopic").textValue()).isEqualTo("fund-definitions");
    assertThat(odd.get("timestamp").textValue()).isEqualTo("2025-01-01T00:00:01Z");
    assertThat(odd.get("headers").get("__streams.errors.message").textValue())
        .isEqualTo("direction UNKNOWN");
    assertThat(odd.get("value").get("direction").textValue()).isEqualTo("UNKNOWN");
    JsonNode negative = dead.get(1);
    assertThat(negative.get("sourceTopic").textValue()).isEqualTo("funding-rates");
    assertThat(negative.get("value").get("rate").textValue()).isEqualTo("-0.000200000000000000");

    assertThat(err.toString())
        .contains("funds.json:4: fund entry [1]: missing required field 'targetLeverage'")
        .contains("prices.csv:5: not a timestamp");
  }

  @Test
  void drainsInternalTopicsSoNothingAccumulates() throws IOException {
    Path prices = new PriceSeriesGenerator().write(dir.resolve("prices.csv"), 5_000, "BTC", "ETH");
    ReplayResult result = echo(write("funds.json", "[]"), prices, null).build().run();
    assertThat(result.pricesIn()).isEqualTo(5_000);
    assertThat(result.navUpdatesOut()).isEqualTo(5_000);
    assertThat(result.otherTopicsOut())
        .containsEntry(
            ReplayDriver.APPLICATION_ID + "-" + EchoTopology.TICKS_REPARTITION + "-repartition",
            5_000L);
    assertThat(result.summary()).contains("internal:").contains("5000 prices");
  }

  @Test
  void undeliverableInputsAreCountedAndWarnedAbout() throws IOException {
    Path prices = write("prices.csv", "timestamp,symbol,price\n0,BTC,1\n1,BTC,2\n");
    ReplayResult result =
        echo(write("funds.json", "[]"), prices, null)
            .topology((settings, topics) -> new StreamsBuilder().build())
            .build()
            .run();
    assertThat(result.pricesIn()).isEqualTo(2);
    assertThat(result.notDelivered()).isEqualTo(2);
    assertThat(err.toString()).contains("the topology reads no topic 'prices'");
    assertThat(result.summary()).contains("not delivered");
  }

  @Test
  void runsTheRealTopologyPlumbing() throws IOException {
    // Whatever NavTopology is today (placeholder or real): inputs are counted and every output
    // file exists. The numbers are checked by ReplayWorkedExamplesTest.
    Path funds =
        write(
            "funds.json",
            """
            [{"fundId": "BTC3L", "underlying": "BTC", "direction": "LONG", "targetLeverage": 3,
              "initialNav": 1, "initialShares": 1}]
            """);
    Path prices = write("prices.csv", "timestamp,symbol,price\n2025-01-01T00:00:00Z,BTC,100\n");
    Path funding = write("funding.csv", "timestamp,symbol,rate\n2025-01-01T08:00:00Z,BTC,0.0001\n");
    Path out = dir.resolve("real");
    ReplayResult result =
        ReplayDriver.builder()
            .funds(funds)
            .prices(prices)
            .funding(funding)
            .outputDirectory(out)
            .diagnostics(new PrintWriter(err, true))
            .build()
            .run();
    assertThat(result.definitionsIn()).isEqualTo(1);
    assertThat(result.pricesIn()).isEqualTo(1);
    assertThat(result.fundingIn()).isEqualTo(1);
    assertThat(result.badRows()).isZero();
    assertThat(result.elapsed()).isPositive();
    for (String file :
        List.of(
            ReplayDriver.NAV_UPDATES_FILE,
            ReplayDriver.REBALANCE_INSTRUCTIONS_FILE,
            ReplayDriver.FUND_STATE_FILE,
            ReplayDriver.DEAD_LETTER_FILE)) {
      assertThat(out.resolve(file)).exists().isRegularFile();
    }
  }

  @Test
  void deletesItsStateDirectory() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    List<Path> before = stateDirs(tmp);
    echo(write("funds.json", "[]"), write("prices.csv", "timestamp,symbol,price\n0,A,1\n"), null)
        .build()
        .run();
    assertThat(stateDirs(tmp)).containsExactlyInAnyOrderElementsOf(before);
  }

  private static List<Path> stateDirs(Path tmp) throws IOException {
    try (Stream<Path> paths = Files.list(tmp)) {
      return paths.filter(p -> p.getFileName().toString().startsWith("navstream-replay-")).toList();
    }
  }

  @Test
  void aBadHeaderStopsBeforeAnythingIsPiped() throws IOException {
    Path prices = write("prices.csv", "when,symbol,price\n0,BTC,1\n");
    assertThatThrownBy(() -> echo(write("funds.json", "[]"), prices, null).build().run())
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("bad header");
  }

  @Test
  void reportsProgressInTicks() throws IOException {
    Path prices = new PriceSeriesGenerator().write(dir.resolve("prices.csv"), 3_000, "BTC");
    List<Long> updates = new ArrayList<>();
    long[] started = {-1};
    boolean[] closed = {false};
    ReplayProgress recorder =
        new ReplayProgress() {
          @Override
          public void start(long estimatedTicks) {
            started[0] = estimatedTicks;
          }

          @Override
          public void update(long ticks) {
            updates.add(ticks);
          }

          @Override
          public void close() {
            closed[0] = true;
          }
        };
    echo(write("funds.json", "[]"), prices, null).progress(recorder).build().run();
    assertThat(started[0]).as("estimated from the size").isBetween(2_700L, 3_300L);
    assertThat(updates).isSorted().contains(3_000L);
    assertThat(updates.get(updates.size() - 1)).isEqualTo(3_000);
    assertThat(closed[0]).isTrue();
  }

  @Test
  void progressBarDrawsOnTheDiagnosticsWriter() throws IOException {
    Path prices = new PriceSeriesGenerator().write(dir.resolve("prices.csv"), 2_000, "BTC");
    StringWriter bar = new StringWriter();
    try (ReplayProgress progress = ReplayProgress.bar(new PrintWriter(bar, true))) {
      echo(write("funds.json", "[]"), prices, null).progress(progress).build().run();
    }
    assertThat(bar.toString()).contains("replay").contains("100%").contains("2000/2000");
  }

  @Test
  void aMillionTicksTakeSecondsNotMinutes() throws IOException {
    // A smoke benchmark at 1/5 scale, with a loose bound so that it cannot flake on a slow CI box
    // yet catches per-record costs gone quadratic or a driver that keeps its outputs.
    Path prices =
        new PriceSeriesGenerator()
            .step(Duration.ofMillis(100))
            .write(dir.resolve("prices.csv"), 200_000, "BTC", "ETH", "SOL");
    ReplayResult result = echo(write("funds.json", "[]"), prices, null).build().run();
    assertThat(result.pricesIn()).isEqualTo(200_000);
    assertThat(result.navUpdatesOut()).isEqualTo(200_000);
    assertThat(result.elapsed()).isLessThan(Duration.ofSeconds(60));
  }

  @Test
  void anOutputTheWriterCannotDecodeFailsTheReplayWithTheDeserializersError() throws IOException {
    // Outputs are decoded on the writer thread: its failure must still fail the run, as it did
    // when the driver's thread decoded them, and leave the lines written before it in the file.
    Path prices = new PriceSeriesGenerator().write(dir.resolve("prices.csv"), 20_000, "BTC");
    AtomicInteger produced = new AtomicInteger();
    ReplayDriver driver = echo(write("funds.json", "[]"), prices, null)
        .topology((settings, topics) ->
            EchoTopology.validThenUndecodable(topics, symbol -> true, produced, 10_000))
        .build();
    assertThatThrownBy(driver::run)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte");
    assertThat(JsonLinesFile.read(dir.resolve("out/nested/nav-updates.jsonl"))).hasSize(10_000);
  }
  @Test
  void wallClockPunctuationsFireAsTheInputsTimeAdvances() throws IOException {
    // One tick every 10 s for 10 minutes: the wall clock goes from the first tick to 9m50s later,
    // so a punctuation every minute fires 9 times.
    StringBuilder csv = new StringBuilder("timestamp,symbol,price\n");
    long t0 = java.time.Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < 60; i++) {
      csv.append(t0 + i * 10_000L).append(",BTC,100\n");
    }
    ReplayResult result = echo(write("funds.json", "[]"), write("prices.csv", csv.toString()), null)
        .topology((settings, topics) -> {
          StreamsBuilder builder = new StreamsBuilder();
          builder.stream(topics.prices().name(),
                  Consumed.with(topics.prices().keySerde(), topics.prices().valueSerde()))
              .process(() -> new org.apache.kafka.streams.processor.api.Processor<String,
                  io.navstream.avro.PriceTick, String, String>() {
                @Override
                public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String,
                    String> context) {
                  context.schedule(Duration.ofMinutes(1),
                      org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                      now -> context.forward(new org.apache.kafka.streams.processor.api.Record<>(
                          "p", Long.toString(now), now)));
                }

                @Override
                public void process(org.apache.kafka.streams.processor.api.Record<String,
                    io.navstream.avro.PriceTick> record) {}
              })
              .to("punctuations", Produced.with(Serdes.String(), Serdes.String()));
          return builder.build();
        })
        .build()
        .run();
    assertThat(result.otherTopicsOut()).containsEntry("punctuations", 9L);
  }
}
