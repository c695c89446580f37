package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.avro.Direction;
import io.navstream.avro.FundCommand;
import io.navstream.avro.FundCommandType;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import io.navstream.replay.testsupport.EchoTopology;
import io.navstream.replay.testsupport.JsonLinesFile;
import io.navstream.replay.testsupport.PriceSeriesGenerator;
import io.navstream.replay.testsupport.QuietKafkaLogs;
import io.navstream.topology.NavTopology;
import io.navstream.topology.TopologySettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A replay spread over several drivers writes exactly what the single driver writes. */
@ExtendWith(QuietKafkaLogs.class)
class ShardedReplayTest {
  private static final List<String> FILES = List.of(ReplayDriver.NAV_UPDATES_FILE,
      ReplayDriver.REBALANCE_INSTRUCTIONS_FILE, ReplayDriver.FUND_STATE_FILE,
      ReplayDriver.DEAD_LETTER_FILE, ReplayDriver.FLOW_RESULTS_FILE,
      ReplayDriver.CORPORATE_ACTIONS_FILE, ReplayDriver.PREMIUM_DISCOUNT_FILE);
  private static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

  @TempDir Path dir;

  /**
   * Five underlyings, a fund on each side of most, and every kind of input that touches shared
   * state: staged definition changes, an immutable change to another underlying (which must keep
   * both underlyings in one shard), an invalid definition, retirements (one before inception, one
   * of an unknown fund), a reused fundId, funding, non-positive, late and malformed price rows, an
   * underlying without funds, and operator commands: manual rebalances (one at a tick's own time),
   * a pause and its resume, a repeated commandId, a command of an unknown fund and one of a retired
   * fund; and fund flows: accepted, repeated, too large, non-positive, of an unknown and of a
   * retired fund. It also writes token prices, which only some replays read.
   */
  private Path mixedInput() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    String common = "\"initialNav\": 100, \"initialShares\": 10, \"dailyRebalanceTime\": \"00:00\","
        + " \"thresholdMove\": \"0.05\", \"minLeverage\": \"2\", \"maxLeverage\": \"4\","
        + " \"managementFeeDaily\": \"0.0001\", \"tradingFeeRate\": \"0.0005\"";
    List<String> funds = new ArrayList<>();
    for (String u : List.of("A", "B", "C", "D")) {
      funds.add(fund(u + "3L", u, "LONG", 3, common, null));
      funds.add(fund(u + "3S", u, "SHORT", 3, common, null));
    }
    funds.add(fund("E2L", "E", "LONG", 2, common.replace("\"minLeverage\": \"2\"",
        "\"minLeverage\": \"1.5\"").replace("\"maxLeverage\": \"4\"", "\"maxLeverage\": \"2.5\""),
        null));
    funds.add(fund("A3L", "A", "LONG", 2.5, common.replace("\"thresholdMove\": \"0.05\"",
        "\"thresholdMove\": \"0.08\""), "2025-01-01T02:00:00Z")); // staged change
    funds.add(fund("B3S", "C", "SHORT", 3, common, "2025-01-01T03:00:00Z")); // immutable change
    funds.add(fund("D3L", "D", "LONG", -1, common, "2025-01-01T03:30:00Z")); // invalid
    funds.add("{\"fundId\": \"C3S\", \"retired\": true, \"effectiveTime\": \"2025-01-01T04:00:00Z\"}");
    funds.add("{\"fundId\": \"LATE\", \"underlying\": \"E\", \"direction\": \"LONG\","
        + " \"targetLeverage\": 2, \"initialNav\": 1, \"initialShares\": 1,"
        + " \"effectiveTime\": \"2025-01-01T09:00:00Z\"}");
    funds.add("{\"fundId\": \"LATE\", \"retired\": true, \"effectiveTime\": \"2025-01-01T05:00:00Z\"}");
    funds.add("{\"fundId\": \"GHOST\", \"retired\": true, \"effectiveTime\": \"2025-01-01T05:00:00Z\"}");
    funds.add(fund("C3S", "C", "SHORT", 3, common, "2025-01-01T06:00:00Z")); // reused id
    Files.writeString(in.resolve("funds.json"), "[\n" + String.join(",\n", funds) + "\n]\n");

    StringBuilder prices = new StringBuilder("timestamp,symbol,price\n");
    SplittableRandom random = new SplittableRandom(7);
    String[] symbols = {"A", "B", "C", "D", "E", "NOFUNDS"};
    double[] last = {100, 200, 50, 10, 1000, 5};
    for (int i = 0; i < 6000; i++) {
      int s = random.nextInt(symbols.length);
      last[s] *= Math.exp(random.nextGaussian() * 0.01);
      long t = T0 + i * 10_000L;
      if (i % 997 == 0) {
        t -= 60_000; // late
      }
      String price = String.format(Locale.ROOT, "%.6f", last[s]);
      if (i % 1201 == 0) {
        price = "0"; // non-positive
      }
      if (i % 1409 == 0) {
        prices.append(t).append(',').append(symbols[s]).append(",not-a-number\n"); // bad row
        continue;
      }
      prices.append(t).append(',').append(symbols[s]).append(',').append(price).append('\n');
    }
    Files.writeString(in.resolve("prices.csv"), prices);
    StringBuilder funding = new StringBuilder("timestamp,symbol,rate\n");
    for (int h = 1; h < 16; h++) {
      for (String u : List.of("A", "B", "C", "D", "E")) {
        funding.append(T0 + h * 3_600_000L).append(',').append(u).append(",0.0001\n");
      }
    }
    Files.writeString(in.resolve("funding.csv"), funding);
    Files.writeString(in.resolve("commands.csv"), String.join("\n",
        "timestamp,commandId,fundId,type",
        "2025-01-01T00:30:00Z,c-1,A3L,REBALANCE",
        "2025-01-01T01:00:00Z,c-2,B3S,PAUSE",
        "2025-01-01T01:10:00Z,c-2,B3S,PAUSE", // the same commandId again
        "2025-01-01T01:20:00Z,c-3,NOPE,REBALANCE", // unknown fund
        "2025-01-01T02:00:00Z,c-4,D3L,PAUSE",
        "2025-01-01T02:46:40Z,c-5,E2L,REBALANCE", // a tick's time (i = 1000): after the tick
        "2025-01-01T04:30:00Z,c-6,C3S,REBALANCE", // retired at 04:00
        "2025-01-01T05:00:00Z,c-7,B3S,RESUME",
        "2025-01-01T07:00:00Z,c-8,C3S,PAUSE", // the reused id: refused, C3S stays retired
        "2025-01-01T08:00:00Z,c-9,NOPE,PAUSE", // unknown fund, again
        ""));
    Files.writeString(in.resolve("flows.csv"), String.join("\n",
        "timestamp,requestId,fundId,type,amount",
        "2025-01-01T00:20:00Z,f-1,A3L,CREATE,500",
        "2025-01-01T00:20:00Z,f-1,A3L,CREATE,500", // a repeat: the first answer again
        "2025-01-01T00:40:00Z,f-2,B3L,REDEEM,100000", // more than outstanding
        "2025-01-01T01:00:00Z,f-3,E2L,CREATE,0", // non-positive
        "2025-01-01T01:30:00Z,f-4,NOPE,CREATE,10", // unknown fund
        "2025-01-01T02:46:40Z,f-5,D3S,REDEEM,200", // at a tick's time: priced by a later tick
        "2025-01-01T04:30:00Z,f-6,C3S,CREATE,10", // retired
        "2025-01-01T06:00:00Z,f-1,A3L,CREATE,500", // the first requestId, long after
        ""));
    // Token prices of funds in different groups, interleaved every 20 s: the premium join holds
    // each until a later one is past its grace, and the NAV history keeps 5 minutes.
    StringBuilder tokens = new StringBuilder("timestamp,fundId,price\n");
    for (int i = 0; i < 720; i++) {
      String fund = List.of("A3L", "B3S", "E2L", "D3L").get(i % 4);
      tokens.append(T0 + 5_000 + i * 20_000L).append(',').append(fund).append(',')
          .append(i % 13 == 0 ? "-1" : (95 + i % 11) + ".25").append('\n');
    }
    tokens.append(T0 + 3_600_000L).append(",NOPE,1\n"); // unknown fund: no NAV
    Files.writeString(in.resolve("token-prices.csv"), tokens);
    return in;
  }

  private static String fund(String id, String underlying, String direction, double leverage,
      String common, String effectiveTime) {
    return "{\"fundId\": \"" + id + "\", \"underlying\": \"" + underlying + "\", \"direction\": \""
        + direction + "\", \"targetLeverage\": " + leverage + ", " + common
        + (effectiveTime == null ? "" : ", \"effectiveTime\": \"" + effectiveTime + "\"") + "}";
  }

  private ReplayResult replay(Path in, int threads) throws IOException {
    return replay(in, threads, null, new StringWriter());
  }

  /** A replay of the mixed input into out-THREADS, or out-THREADS-tokens with token prices. */
  private ReplayResult replay(Path in, int threads, Path tokenPrices, StringWriter err)
      throws IOException {
    return replay(in, threads, tokenPrices, err, DirectPipe.COMMIT_EVERY,
        out(threads, tokenPrices != null));
  }

  private ReplayResult replay(Path in, int threads, Path tokenPrices, StringWriter err,
      int pipeCommitEvery, Path out) throws IOException {
    return mixedReplay(in, tokenPrices, out, err)
        .threads(threads)
        .pipeCommitEvery(pipeCommitEvery)
        .build()
        .run();
  }

  /** A replay of every file of the mixed input (token prices when given) into {@code out}. */
  private static ReplayDriver.Builder mixedReplay(Path in, Path tokenPrices, Path out,
      StringWriter err) {
    return ReplayDriver.builder()
        .funds(in.resolve("funds.json"))
        .prices(in.resolve("prices.csv"))
        .funding(in.resolve("funding.csv"))
        .commands(in.resolve("commands.csv"))
        .flows(in.resolve("flows.csv"))
        .tokenPrices(tokenPrices)
        .outputDirectory(out)
        .diagnostics(new PrintWriter(err, true));
  }

  private Path out(int threads, boolean tokens) {
    return dir.resolve("out-" + threads + (tokens ? "-tokens" : ""));
  }

  private void assertSameFiles(int threads, boolean tokens) throws IOException {
    for (String file : FILES) {
      assertThat(Files.readAllBytes(out(threads, tokens).resolve(file)))
          .as("%s with %d threads", file, threads)
          .isEqualTo(Files.readAllBytes(out(1, tokens).resolve(file)));
    }
  }

  @Test
  void shardedRunsWriteTheSingleDriversBytes() throws IOException {
    Path in = mixedInput();
    ReplayResult single = replay(in, 1);
    // The input exercises what it claims to: rejections of several kinds and every output.
    assertThat(single.deadLettersOut()).isGreaterThanOrEqualTo(8);
    assertThat(single.badRows()).isPositive();
    assertThat(single.rebalanceInstructionsOut()).isGreaterThan(20);
    assertThat(single.fundingIn()).isEqualTo(75);
    assertThat(single.commandsIn()).isEqualTo(10);
    assertThat(single.flowsIn()).isEqualTo(8);
    Path out = out(1, false);
    String deadLetters = Files.readString(out.resolve(ReplayDriver.DEAD_LETTER_FILE));
    assertThat(deadLetters).contains("IMMUTABLE_FIELD_CHANGED", "INVALID_DEFINITION", "FUND_CLOSED",
        "UNKNOWN_FUND", "LATE_INPUT", "INVALID_PRICE", "DUPLICATE_COMMAND");
    assertThat(deadLetters.lines().filter(l -> l.contains("NOPE"))).hasSize(2);
    assertThat(Files.readString(out.resolve(ReplayDriver.FLOW_RESULTS_FILE)))
        .contains("\"ACCEPTED\"", "UNKNOWN_FUND", "EXCEEDS_OUTSTANDING", "NON_POSITIVE_AMOUNT");
    assertThat(single.flowResultsOut()).isGreaterThanOrEqualTo(7);
    assertThat(Files.readAllLines(out.resolve(ReplayDriver.REBALANCE_INSTRUCTIONS_FILE)))
        .filteredOn(l -> l.contains("\"reason\":\"MANUAL\""))
        .hasSize(2)
        .anyMatch(l -> l.contains("\"fundId\":\"A3L\""))
        .anyMatch(l -> l.contains("\"fundId\":\"E2L\""));
    assertThat(Files.readAllLines(out.resolve(ReplayDriver.FUND_STATE_FILE)))
        .filteredOn(l -> l.contains("\"fundId\":\"B3S\""))
        .anyMatch(l -> l.contains("\"rebalancesPaused\":true"))
        .anyMatch(l -> l.contains("\"rebalancesPaused\":false"));

    for (int threads : List.of(2, 3, 5)) {
      ReplayResult sharded = replay(in, threads);
      assertSameFiles(threads, false);
      assertThat(sharded)
          .usingRecursiveComparison()
          .ignoringFields("elapsed")
          .isEqualTo(single);
    }
  }

  /**
   * A replay leaves out the candle builder and the stores' record caches; neither changes any
   * output: the files equal those of the topology as run deploys it, candles and cached RocksDB
   * stores included.
   */
  @Test
  void neitherCandlesNorStoreCachesChangeAReplaysFiles() throws IOException {
    Path in = mixedInput();
    Path tokens = in.resolve("token-prices.csv");
    ReplayResult lean = replay(in, 1, tokens, new StringWriter());
    assertThat(lean.otherTopicsOut()).doesNotContainKey("nav-candles");
    Path full = dir.resolve("full");
    ReplayResult asDeployed = mixedReplay(in, tokens, full, new StringWriter())
        .topology((settings, topics) -> NavTopology.build(new TopologySettings(
            settings.partitions(), TopologySettings.StoreKind.PERSISTENT, false,
            settings.premiumGrace(), settings.premiumAlertThreshold(), settings.premium(), true),
            topics))
        .build()
        .run();
    assertThat(asDeployed.otherTopicsOut()).containsKey("nav-candles");
    for (String file : FILES) {
      assertThat(Files.readAllBytes(full.resolve(file))).as(file)
          .isEqualTo(Files.readAllBytes(out(1, true).resolve(file)));
    }
  }

  /**
   * The direct pipe skips the driver's per-record regex checks and commits; the files are those
   * the driver's own pipeInput writes, with the premium join (whose NAV history re-reads the
   * nav-updates the topology produces) and without, on one driver and sharded, committing rarely
   * (never, on input this small) or every 7 records.
   */
  @Test
  void theDirectPipeWritesWhatTheDriversOwnPipeWrites() throws IOException {
    Path in = mixedInput();
    Path tokens = in.resolve("token-prices.csv");
    for (Path tokenPrices : java.util.Arrays.asList(null, tokens)) {
      Path plain = dir.resolve("plain-" + (tokenPrices != null));
      ReplayResult viaDriver = replay(in, 1, tokenPrices, new StringWriter(), 0, plain);
      assertThat(viaDriver.navUpdatesOut()).isGreaterThan(1000);
      for (int threads : List.of(1, 2)) {
        for (int commitEvery : List.of(DirectPipe.COMMIT_EVERY, 7)) {
          Path direct = dir.resolve("direct-" + threads + "-" + commitEvery + "-" + (tokenPrices != null));
          ReplayResult viaDirect =
              replay(in, threads, tokenPrices, new StringWriter(), commitEvery, direct);
          for (String file : FILES) {
            assertThat(Files.readAllBytes(direct.resolve(file)))
                .as("%s, %d threads, commit every %d, token prices %s", file, threads, commitEvery,
                    tokenPrices != null)
                .isEqualTo(Files.readAllBytes(plain.resolve(file)));
          }
          assertThat(viaDirect).usingRecursiveComparison().ignoringFields("elapsed")
              .isEqualTo(viaDriver);
        }
      }
    }
  }

  /**
   * The premium join releases a fund's token price only once a later token price of any fund is
   * past the grace period, so token prices are never sharded: the replay says so and runs on one
   * driver, and its files are the single driver's.
   */
  @Test
  void withTokenPricesTheReplayRunsOnOneDriver() throws IOException {
    Path in = mixedInput();
    Path tokens = in.resolve("token-prices.csv");
    ReplayResult single = replay(in, 1, tokens, new StringWriter());
    assertThat(single.tokenPricesIn()).isEqualTo(721);
    assertThat(single.premiumDiscountOut()).isGreaterThan(500);
    assertThat(Files.readString(out(1, true).resolve(ReplayDriver.DEAD_LETTER_FILE)))
        .contains("NO_NAV", "INVALID_PRICE");

    StringWriter err = new StringWriter();
    ReplayResult three = replay(in, 3, tokens, err);
    assertThat(err.toString()).contains("with --token-prices the replay runs on one driver");
    assertSameFiles(3, true);
    assertThat(three).usingRecursiveComparison().ignoringFields("elapsed").isEqualTo(single);
  }

  @Test
  void aShardsFailureFailsTheReplayAfterWritingTheOutputsBeforeIt() throws IOException {
    Path prices = new PriceSeriesGenerator().write(dir.resolve("prices.csv"), 5_000, "BTC", "ETH");
    Path funds = Files.writeString(dir.resolve("funds.json"), "[]");
    AtomicInteger produced = new AtomicInteger();
    ReplayDriver driver = ReplayDriver.builder()
        .funds(funds)
        .prices(prices)
        .outputDirectory(dir.resolve("out"))
        .diagnostics(new PrintWriter(new StringWriter(), true))
        .threads(2)
        .topology((settings, topics) ->
            EchoTopology.validThenUndecodable(topics, "BTC"::equals, produced, 1_000))
        .streamsOverrides(EchoTopology.CONTINUE_ON_ERRORS)
        .build();
    assertThatThrownBy(driver::run)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte");
    assertThat(JsonLinesFile.read(dir.resolve("out").resolve(ReplayDriver.NAV_UPDATES_FILE)))
        .hasSize(1_000);
  }

  @Test
  void aFundAndEveryUnderlyingItsDefinitionsNameShareAShard() {
    List<ReplayEvent> definitions = List.of(
        definition("X3L", "X"), definition("Y3L", "Y"), definition("Z3L", "Z"),
        definition("X3L", "Z")); // a rejected change of underlying still ties X to Z
    ShardPlan plan = new ShardPlan(3, definitions);
    int x = plan.shardOf(price("X"));
    assertThat(plan.shardOf(price("Z"))).isEqualTo(x);
    assertThat(plan.shardOf(definitions.get(0))).isEqualTo(x);
    assertThat(plan.shardOf(definitions.get(2))).isEqualTo(x);
    assertThat(plan.shardOf(price("Y"))).isNotEqualTo(x);
    assertThat(plan.shardOf(new ReplayEvent(ReplayEvent.Kind.DEFINITION, 0, "X3L", null)))
        .isEqualTo(x);
    assertThat(plan.shardOf(command("X3L"))).isEqualTo(x);
    assertThat(plan.shardOf(command("Y3L"))).isEqualTo(plan.shardOf(price("Y")));
    assertThat(plan.shardOf(new ReplayEvent(ReplayEvent.Kind.FLOW, 0, "Z3L", null))).isEqualTo(x);
    assertThatThrownBy(() -> plan.shardOf(new ReplayEvent(ReplayEvent.Kind.TOKEN_PRICE, 0, "X3L", null)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ReplayEvent definition(String fundId, String underlying) {
    FundDefinition d = FundDefinition.newBuilder()
        .setFundId(fundId)
        .setUnderlying(underlying)
        .setDirection(Direction.LONG)
        .setTargetLeverage(BigDecimal.valueOf(3))
        .setInitialNav(BigDecimal.ONE)
        .setInitialShares(BigDecimal.ONE)
        .build();
    return new ReplayEvent(ReplayEvent.Kind.DEFINITION, 0, fundId, d);
  }

  private static ReplayEvent command(String fundId) {
    return new ReplayEvent(ReplayEvent.Kind.COMMAND, 0, fundId,
        new FundCommand("c-" + fundId, fundId, FundCommandType.PAUSE, null, Instant.EPOCH));
  }

  private static ReplayEvent price(String symbol) {
    return new ReplayEvent(ReplayEvent.Kind.PRICE, 0, symbol,
        new PriceTick(symbol, BigDecimal.ONE, Instant.EPOCH));
  }
}
