package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FundsFileTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();
  private final BadRows bad = new BadRows(new PrintWriter(err, true), 100);

  private List<FundsFile.Entry> read(String json) throws IOException {
    Path file = Files.writeString(dir.resolve("funds.json"), json);
    return FundsFile.read(file, bad);
  }

  @Test
  void numbersAndNumericStringsAreParsedExactly() throws IOException {
    List<FundsFile.Entry> entries =
        read(
            """
            [
              {"fundId": "BTC3L", "underlying": "BTC", "direction": "long",
               "targetLeverage": 3, "initialNav": "100.5", "initialShares": 1e6,
               "thresholdMove": 0.15, "managementFeeDaily": "0.000027397260273972",
               "dailyRebalanceTime": "00:00", "rebalanceTimeZone": "UTC",
               "tradingFeeRate": 0.123456789012345678}
            ]
            """);
    assertThat(bad.count()).isZero();
    FundDefinition d = entries.get(0).definition();
    assertThat(d.getDirection()).isEqualTo(Direction.LONG);
    assertThat(d.getTargetLeverage().toPlainString()).isEqualTo("3.000000000000000000");
    assertThat(d.getInitialNav().toPlainString()).isEqualTo("100.500000000000000000");
    assertThat(d.getInitialShares().toPlainString()).isEqualTo("1000000.000000000000000000");
    assertThat(d.getThresholdMove().toPlainString()).isEqualTo("0.150000000000000000");
    assertThat(d.getManagementFeeDaily().toPlainString()).isEqualTo("0.000027397260273972");
    // 18 decimals as a JSON number: it would lose digits through a double.
    assertThat(d.getTradingFeeRate().toPlainString()).isEqualTo("0.123456789012345678");
    assertThat(d.getDailyRebalanceTime()).isEqualTo("00:00");
    assertThat(d.getRebalanceTimeZone()).isEqualTo("UTC");
    assertThat(d.getMinLeverage()).isNull();
    assertThat(d.getEffectiveTime()).isNull();
    assertThat(entries.get(0).effectiveTime()).isNull();
  }

  @Test
  void directionIsCaseInsensitiveAndAnythingElseIsUnknown() throws IOException {
    List<FundsFile.Entry> entries =
        read(
            """
            [
              {"fundId": "A", "underlying": "X", "direction": "Short", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1},
              {"fundId": "B", "underlying": "X", "direction": "sideways", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1},
              {"fundId": "C", "underlying": "X", "direction": 1, "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1}
            ]
            """);
    assertThat(entries)
        .extracting(e -> e.definition().getDirection())
        .containsExactly(Direction.SHORT, Direction.UNKNOWN, Direction.UNKNOWN);
    assertThat(bad.count()).as("UNKNOWN is for the topology to reject").isZero();
  }

  @Test
  void retirementsAreEntriesWithoutDefinition() throws IOException {
    List<FundsFile.Entry> entries =
        read(
            """
            [
              {"fundId": "A", "retired": true},
              {"fundId": "B", "retired": true, "effectiveTime": "2025-03-01T00:00:00Z"},
              {"fundId": "C", "retired": true, "effectiveTime": 1735689600000}
            ]
            """);
    assertThat(bad.count()).isZero();
    assertThat(entries).allMatch(FundsFile.Entry::isRetirement);
    assertThat(entries).extracting(FundsFile.Entry::fundId).containsExactly("A", "B", "C");
    assertThat(entries)
        .extracting(FundsFile.Entry::effectiveTime)
        .containsExactly(
            null,
            Instant.parse("2025-03-01T00:00:00Z").toEpochMilli(),
            Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
  }

  @Test
  void retirementWithDefinitionFieldsIsBad() throws IOException {
    List<FundsFile.Entry> entries =
        read("[{\"fundId\": \"A\", \"retired\": true, \"underlying\": \"X\"}]");
    assertThat(entries).isEmpty();
    assertThat(bad.listed())
        .singleElement()
        .satisfies(
            r -> assertThat(r.message()).contains("unknown field 'underlying' in a retirement"));
  }

  @Test
  void moreThan18DecimalsIsABadEntry() throws IOException {
    List<FundsFile.Entry> entries =
        read(
            """
            [
              {"fundId": "A", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1, "thresholdMove": 0.1234567890123456789},
              {"fundId": "B", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": "1.0000000000000000001", "initialShares": 1}
            ]
            """);
    assertThat(entries).isEmpty();
    assertThat(bad.count()).isEqualTo(2);
    assertThat(bad.listed().get(0).message())
        .contains("entry [0]")
        .contains("field 'thresholdMove'")
        .contains("more than 18 decimal places");
    assertThat(bad.listed().get(1).message()).contains("entry [1]").contains("field 'initialNav'");
  }

  @Test
  void missingRequiredFieldsAreNamedWithTheEntryIndexAndLine() throws IOException {
    List<FundsFile.Entry> entries =
        read(
            """
            [
              {"fundId": "OK", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1},
              {"fundId": "NO", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialShares": 1, "initialNav": null},
              {"underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1}
            ]
            """);
    assertThat(entries).extracting(FundsFile.Entry::fundId).containsExactly("OK");
    assertThat(bad.listed()).hasSize(2);
    assertThat(bad.listed().get(0).line()).isEqualTo(4);
    assertThat(bad.listed().get(0).message())
        .contains("fund entry [1]")
        .contains("missing required field 'initialNav'");
    assertThat(bad.listed().get(1).line()).isEqualTo(6);
    assertThat(bad.listed().get(1).message())
        .contains("fund entry [2]")
        .contains("missing required field 'fundId'");
    assertThat(err.toString()).contains("funds.json:4: fund entry [1]");
  }

  @Test
  void unknownFieldsAndWrongTypesAreBadEntries() throws IOException {
    List<FundsFile.Entry> entries =
        read(
            """
            [
              {"fundId": "A", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1, "leverage": 3},
              {"fundId": "B", "underlying": "X", "direction": "LONG", "targetLeverage": true,
               "initialNav": 1, "initialShares": 1},
              {"fundId": "C", "underlying": "X", "direction": "LONG", "targetLeverage": "three",
               "initialNav": 1, "initialShares": 1},
              {"fundId": "D", "underlying": 7, "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1, "effectiveTime": "tomorrow"},
              {"fundId": "E", "retired": true, "effectiveTime": -5},
              42
            ]
            """);
    assertThat(entries).isEmpty();
    assertThat(bad.listed())
        .extracting(BadRow::message)
        .satisfiesExactly(
            m -> assertThat(m).contains("unknown field 'leverage'"),
            m -> assertThat(m).contains("field 'targetLeverage': expected a number"),
            m -> assertThat(m).contains("field 'targetLeverage': not a decimal number: 'three'"),
            m ->
                assertThat(m)
                    .contains("field 'underlying': expected a string")
                    .contains("field 'effectiveTime'"),
            m -> assertThat(m).contains("field 'effectiveTime'").contains("cannot be negative"),
            m -> assertThat(m).contains("expected a JSON object"));
  }

  @Test
  void effectiveTimeAcceptsIsoWithOffsetAndEpochMillis() throws IOException {
    List<FundsFile.Entry> entries =
        read(
            """
            [
              {"fundId": "A", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1, "effectiveTime": "2025-01-01T01:00:00+01:00"},
              {"fundId": "B", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1, "effectiveTime": "1735689600000"}
            ]
            """);
    Instant midnight = Instant.parse("2025-01-01T00:00:00Z");
    assertThat(entries)
        .extracting(e -> e.definition().getEffectiveTime())
        .containsExactly(midnight, midnight);
    assertThat(entries.get(0).effectiveTime()).isEqualTo(midnight.toEpochMilli());
  }

  @Test
  void aFileThatIsNotAnArrayStopsTheReplay() {
    assertThatThrownBy(() -> read("{\"fundId\": \"A\"}"))
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("expected a JSON array");
  }

  @Test
  void invalidJsonStopsTheReplayWithItsLine() {
    assertThatThrownBy(() -> read("[\n{\"fundId\": \"A\",\n \"retired\": tru }\n]"))
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("funds.json:3: not valid JSON");
  }

  @Test
  void missingFileStopsTheReplay() {
    assertThatThrownBy(() -> FundsFile.read(dir.resolve("nope.json"), bad))
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("no such file");
  }

  @Test
  void eventsPutUndatedEntriesFirstThenSortStablyByEffectiveTime() throws IOException {
    List<FundsFile.Entry> entries =
        read(
            """
            [
              {"fundId": "A", "retired": true, "effectiveTime": "2025-01-03T00:00:00Z"},
              {"fundId": "B", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1, "effectiveTime": "2025-01-02T00:00:00Z"},
              {"fundId": "A", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1},
              {"fundId": "B", "underlying": "X", "direction": "LONG", "targetLeverage": 2,
               "initialNav": 1, "initialShares": 1, "effectiveTime": "2025-01-02T00:00:00Z"}
            ]
            """);
    long firstPrice = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    List<ReplayEvent> events = FundsFile.toEvents(entries, firstPrice);
    assertThat(events).extracting(ReplayEvent::key).containsExactly("A", "B", "B", "A");
    assertThat(events.get(0).timestamp()).isEqualTo(firstPrice);
    assertThat(((FundDefinition) events.get(0).value()).getEffectiveTime())
        .as("left null in the record")
        .isNull();
    assertThat(((FundDefinition) events.get(1).value()).getTargetLeverage())
        .isEqualByComparingTo("3");
    assertThat(((FundDefinition) events.get(2).value()).getTargetLeverage())
        .isEqualByComparingTo("2");
    assertThat(events.get(3).value()).as("tombstone").isNull();
    assertThat(events.get(3).timestamp())
        .isEqualTo(Instant.parse("2025-01-03T00:00:00Z").toEpochMilli());
  }
}
