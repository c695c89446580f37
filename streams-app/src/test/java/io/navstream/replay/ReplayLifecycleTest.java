package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.navstream.replay.testsupport.JsonLinesFile;
import io.navstream.replay.testsupport.QuietKafkaLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fund flows, a merge and premium/discount replayed from files (src/test/resources/replay/lifecycle):
 * BTC1L (1x, creation fee 1%, 5-minute blackout, merges below NAV 0.1) and ETH3L (3x, alert above
 * a 2% premium).
 */
@ExtendWith(QuietKafkaLogs.class)
class ReplayLifecycleTest {
  @TempDir Path out;
  @TempDir Path again;
  private final StringWriter err = new StringWriter();

  private ReplayResult replay(Path to) throws IOException, URISyntaxException {
    Path dir = Path.of(getClass().getResource("/replay/lifecycle/funds.json").toURI()).getParent();
    ReplayResult result = ReplayDriver.builder()
        .funds(dir.resolve("funds.json"))
        .prices(dir.resolve("prices.csv"))
        .flows(dir.resolve("flows.csv"))
        .tokenPrices(dir.resolve("token-prices.csv"))
        .outputDirectory(to)
        .diagnostics(new PrintWriter(err, true))
        .build()
        .run();
    assertThat(result.badRows()).as(err.toString()).isZero();
    return result;
  }

  private List<JsonNode> read(Path dir, String file) throws IOException {
    return JsonLinesFile.read(dir.resolve(file));
  }

  @Test
  void flowsAreAnsweredWithTheirPriceOrTheirReason() throws Exception {
    ReplayResult result = replay(out);
    assertThat(result.flowsIn()).isEqualTo(7);
    assertThat(result.tokenPricesIn()).isEqualTo(3);

    List<JsonNode> results = read(out, ReplayDriver.FLOW_RESULTS_FILE);
    assertThat(results).extracting(r -> r.get("requestId").textValue() + ":" + r.get("status").textValue()
            + ":" + (r.get("reasonCode").isNull() ? "" : r.get("reasonCode").textValue()))
        .containsExactly("c1:ACCEPTED:", "c1:ACCEPTED:", "r1:REJECTED:EXCEEDS_OUTSTANDING",
            "z1:REJECTED:NON_POSITIVE_AMOUNT", "u1:REJECTED:UNKNOWN_FUND", "b1:REJECTED:BLACKOUT");
    JsonNode created = results.get(0);
    assertThat(new BigDecimal(created.get("nav").textValue())).isEqualByComparingTo("1");
    assertThat(new BigDecimal(created.get("fee").textValue())).isEqualByComparingTo("10");
    assertThat(new BigDecimal(created.get("shares").textValue())).isEqualByComparingTo("990");
    assertThat(results.get(1)).as("the repeat is the first answer").isEqualTo(created);
    assertThat(read(out, ReplayDriver.REBALANCE_INSTRUCTIONS_FILE))
        .filteredOn(r -> r.get("reason").textValue().equals("FLOW")).hasSize(1);
  }

  @Test
  void theFundMergesAtTheDailyRebalanceAndItsAdjustedNavStaysContinuous() throws Exception {
    replay(out);
    List<JsonNode> actions = read(out, ReplayDriver.CORPORATE_ACTIONS_FILE);
    assertThat(actions).singleElement().satisfies(a -> {
      assertThat(a.get("type").textValue()).isEqualTo("MERGE");
      assertThat(a.get("ratio").intValue()).isEqualTo(10);
      assertThat(new BigDecimal(a.get("navBefore").textValue())).isEqualByComparingTo("0.088");
      assertThat(new BigDecimal(a.get("navAfter").textValue())).isEqualByComparingTo("0.88");
      assertThat(new BigDecimal(a.get("sharesBefore").textValue())).isEqualByComparingTo("1990");
      assertThat(new BigDecimal(a.get("sharesAfter").textValue())).isEqualByComparingTo("199");
    });
    List<JsonNode> btc = read(out, ReplayDriver.NAV_UPDATES_FILE).stream()
        .filter(n -> n.get("fundId").textValue().equals("BTC1L")).toList();
    JsonNode last = btc.get(btc.size() - 1);
    assertThat(new BigDecimal(last.get("nav").textValue())).isEqualByComparingTo("0.968");
    assertThat(new BigDecimal(last.get("adjustedNav").textValue())).isEqualByComparingTo("0.0968");
  }

  @Test
  void premiumIsAgainstTheNavAtTheTokenPricesTime() throws Exception {
    replay(out);
    List<JsonNode> premiums = read(out, ReplayDriver.PREMIUM_DISCOUNT_FILE);
    // The join holds each token price until a later one is past the grace period: the last of
    // the file waits for a token price that never comes.
    assertThat(premiums).hasSize(2);
    assertThat(new BigDecimal(premiums.get(0).get("nav").textValue())).isEqualByComparingTo("1.3");
    assertThat(new BigDecimal(premiums.get(0).get("premium").textValue()))
        .isEqualByComparingTo("0.023076923076923077"); // 1.33 / 1.3 - 1
    assertThat(premiums.get(0).get("alert").booleanValue()).isTrue();
    assertThat(new BigDecimal(premiums.get(1).get("premium").textValue())).isEqualByComparingTo("0");
    assertThat(premiums.get(1).get("alert").booleanValue()).isFalse();
  }

  @Test
  void theSameFilesReplayToTheSameBytes() throws Exception {
    replay(out);
    replay(again);
    for (String file : List.of(ReplayDriver.FLOW_RESULTS_FILE, ReplayDriver.CORPORATE_ACTIONS_FILE,
        ReplayDriver.PREMIUM_DISCOUNT_FILE, ReplayDriver.NAV_UPDATES_FILE)) {
      assertThat(Files.readAllBytes(again.resolve(file))).as(file).isEqualTo(Files.readAllBytes(out.resolve(file)));
    }
  }
}
