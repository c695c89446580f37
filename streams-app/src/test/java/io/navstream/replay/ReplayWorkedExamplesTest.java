package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.navstream.replay.testsupport.JsonLinesFile;
import io.navstream.replay.testsupport.QuietKafkaLogs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked examples of the NAV model, end to end through the real topology (files under
 * src/test/resources/replay/). They need {@code NavTopology} to be the real one: exclude the tag
 * while it is a placeholder ({@code -DexcludedGroups=needs-topology}).
 */
@ExtendWith(QuietKafkaLogs.class)
class ReplayWorkedExamplesTest {
  @TempDir Path out;
  private final StringWriter err = new StringWriter();

  /** Replays {@code replay/<scenario>/funds.json} and {@code prices.csv}. */
  private ReplayResult replay(String scenario) throws IOException, URISyntaxException {
    Path dir =
        Path.of(getClass().getResource("/replay/" + scenario + "/funds.json").toURI()).getParent();
    ReplayResult result =
        ReplayDriver.builder()
            .funds(dir.resolve("funds.json"))
            .prices(dir.resolve("prices.csv"))
            .outputDirectory(out)
            .diagnostics(new PrintWriter(err, true))
            .build()
            .run();
    assertThat(result.badRows()).as(err.toString()).isZero();
    assertThat(result.deadLettersOut()).as("dead letters: %s", deadLetters()).isZero();
    return result;
  }

  private List<JsonNode> deadLetters() {
    try {
      return JsonLinesFile.read(out.resolve(ReplayDriver.DEAD_LETTER_FILE));
    } catch (IOException e) {
      return List.of();
    }
  }

  private List<JsonNode> navUpdates(String fundId) throws IOException {
    return JsonLinesFile.read(out.resolve(ReplayDriver.NAV_UPDATES_FILE)).stream()
        .filter(n -> n.get("fundId").textValue().equals(fundId))
        .toList();
  }

  private String lastNav(String fundId) throws IOException {
    List<JsonNode> updates = navUpdates(fundId);
    assertThat(updates).as("nav updates of %s", fundId).isNotEmpty();
    return updates.get(updates.size() - 1).get("nav").textValue();
  }

  /**
   * The worked examples hold to 15 decimals: positions are rounded to 18, so C + q·P drifts from
   * the exact compounding by a few 1e-18 per rebalance (README, "Arithmetic").
   */
  private void assertLastNav(String fundId, String expected) throws IOException {
    assertThat(new BigDecimal(lastNav(fundId)))
        .as("last nav of %s", fundId)
        .isCloseTo(new BigDecimal(expected), org.assertj.core.api.Assertions.within(new BigDecimal("1e-15")));
  }

  private List<JsonNode> instructions() throws IOException {
    return JsonLinesFile.read(out.resolve(ReplayDriver.REBALANCE_INSTRUCTIONS_FILE));
  }

  private static BigDecimal decimal(JsonNode node, String field) {
    return new BigDecimal(node.get(field).textValue());
  }

  @Test
  void threeTimesLongRebalancedDailyCompounds() throws Exception {
    replay("long-3x-daily");
    // +10% a day for four days: 1.3^4.
    assertLastNav("UP3L", "2.856100000000000000");
    // -10% a day for four days: 0.7^4.
    assertLastNav("DOWN3L", "0.240100000000000000");
    // +10, -10, +10, -10: (1.3 * 0.7)^2, the volatility decay.
    assertLastNav("ZIGZAG3L", "0.828100000000000000");
  }

  @Test
  void threeTimesShortGainsWhenThePriceFalls() throws Exception {
    replay("short-3x");
    assertLastNav("FALL3S", "1.300000000000000000"); // 10000 -> 9000
    assertLastNav("RISE3S", "0.700000000000000000"); // 10000 -> 11000
  }

  @Test
  void dailyRebalanceInstructionOfAThreeTimesLong() throws Exception {
    replay("daily-rebalance-instruction");
    // NAV 100, 1 share, bought 3 units at 100 (cash -200). At 105: equity 3*105 - 200 = 115,
    // exposure 315, target 345 = 3.2857... units, so buy 2/7 of a unit for 30.
    List<JsonNode> instructions = instructions();
    JsonNode daily =
        instructions.stream()
            .filter(i -> i.get("reason").textValue().equals("DAILY"))
            .reduce((first, second) -> second)
            .orElseThrow(() -> new AssertionError("no DAILY instruction in " + instructions));
    assertThat(daily.get("fundId").textValue()).isEqualTo("BTC3L");
    assertThat(decimal(daily, "navBefore")).isEqualByComparingTo("115");
    // 315/115 = 2.739130434782608695652...: at scale 18, ...696 rounded HALF_EVEN (...695 if
    // truncated); either is within one unit of the last place.
    BigDecimal exactLeverage =
        new BigDecimal(315).divide(new BigDecimal(115), MathContext.DECIMAL128);
    assertThat(daily.get("leverageBefore").textValue()).startsWith("2.73913043478260869");
    assertThat(decimal(daily, "leverageBefore"))
        .isCloseTo(exactLeverage, within(new BigDecimal("1e-18")));
    assertThat(daily.get("deltaQuantity").textValue()).isEqualTo("0.285714285714285714"); // 2/7
    assertThat(decimal(daily, "notional"))
        .isCloseTo(new BigDecimal(30), within(new BigDecimal("1e-15")));
    assertThat(daily.get("side").textValue()).isEqualTo("BUY");
    assertThat(daily.get("eventTime").textValue()).isEqualTo("2025-01-02T00:00:00Z");
    assertLastNav("BTC3L", "115.000000000000000000");
  }

  @Test
  void thresholdRebalancesOnlyTheFundMovedAgainst() throws Exception {
    replay("threshold");
    List<JsonNode> instructions = instructions();
    // A: 100 -> 115 is +15%, adverse for the short only.
    assertThat(reasons(instructions, "A3L")).containsExactly("INCEPTION");
    assertThat(reasons(instructions, "A3S")).containsExactly("INCEPTION", "THRESHOLD");
    // B: 100 -> 114.9 is below the 15% threshold: nobody rebalances.
    assertThat(reasons(instructions, "B3L")).containsExactly("INCEPTION");
    assertThat(reasons(instructions, "B3S")).containsExactly("INCEPTION");
  }

  private static List<String> reasons(List<JsonNode> instructions, String fundId) {
    return instructions.stream()
        .filter(i -> i.get("fundId").textValue().equals(fundId))
        .map(i -> i.get("reason").textValue())
        .toList();
  }
}
