package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.replay.ReplayEvent.Kind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StableMergeTest {
  @TempDir Path dir;

  private static ReplayEvent event(Kind kind, long t, String key) {
    return new ReplayEvent(kind, t, key, null);
  }

  private static List<String> merged(
      List<ReplayEvent> defs, List<ReplayEvent> funding, List<ReplayEvent> prices)
      throws IOException {
    List<String> out = new ArrayList<>();
    try (StableMerge merge =
        new StableMerge(
            List.of(EventSource.of(defs), EventSource.of(funding), EventSource.of(prices)))) {
      ReplayEvent e;
      while ((e = merge.poll()) != null) {
        out.add(e.key() + "@" + e.timestamp());
      }
    }
    return out;
  }

  @Test
  void ordersAcrossSourcesByTimestamp() throws IOException {
    assertThat(
            merged(
                List.of(event(Kind.DEFINITION, 5, "d")),
                List.of(event(Kind.FUNDING, 2, "f1"), event(Kind.FUNDING, 8, "f2")),
                List.of(
                    event(Kind.PRICE, 1, "p1"),
                    event(Kind.PRICE, 3, "p2"),
                    event(Kind.PRICE, 9, "p3"))))
        .containsExactly("p1@1", "f1@2", "p2@3", "d@5", "f2@8", "p3@9");
  }

  @Test
  void atEqualTimestampsDefinitionsThenFundingThenPrices() throws IOException {
    assertThat(
            merged(
                List.of(event(Kind.DEFINITION, 7, "d")),
                List.of(event(Kind.FUNDING, 7, "f")),
                List.of(event(Kind.PRICE, 7, "p"))))
        .containsExactly("d@7", "f@7", "p@7");
    // Whatever the order of arrival of the heads.
    assertThat(
            merged(
                List.of(event(Kind.DEFINITION, 3, "d1"), event(Kind.DEFINITION, 7, "d2")),
                List.of(event(Kind.FUNDING, 7, "f")),
                List.of(
                    event(Kind.PRICE, 1, "p1"),
                    event(Kind.PRICE, 7, "p2"),
                    event(Kind.PRICE, 7, "p3"))))
        .containsExactly("p1@1", "d1@3", "d2@7", "f@7", "p2@7", "p3@7");
  }

  @Test
  void aLateTickStaysLate() throws IOException {
    // The prices file has a tick at 4 after one at 10: it stays after 10, and is taken as soon as
    // it is a head, before the funding row at 12.
    assertThat(
            merged(
                List.of(),
                List.of(event(Kind.FUNDING, 6, "f1"), event(Kind.FUNDING, 12, "f2")),
                List.of(
                    event(Kind.PRICE, 5, "p1"),
                    event(Kind.PRICE, 10, "p2"),
                    event(Kind.PRICE, 4, "late"),
                    event(Kind.PRICE, 11, "p3"))))
        .containsExactly("p1@5", "f1@6", "p2@10", "late@4", "p3@11", "f2@12");
  }

  @Test
  void definitionsWithoutEffectiveTimeComeFirst() throws IOException {
    Path funds =
        Files.writeString(
            dir.resolve("funds.json"),
            """
            [
              {"fundId": "DATED", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1, "effectiveTime": "1970-01-01T00:00:00.020Z"},
              {"fundId": "UNDATED", "underlying": "X", "direction": "LONG", "targetLeverage": 3,
               "initialNav": 1, "initialShares": 1}
            ]
            """);
    Path prices =
        Files.writeString(dir.resolve("prices.csv"), "timestamp,symbol,price\n10,X,1\n30,X,2\n");
    Path funding =
        Files.writeString(dir.resolve("funding.csv"), "timestamp,symbol,rate\n10,X,0.01\n");
    BadRows bad = new BadRows(new PrintWriter(new StringWriter()), 10);
    try (CsvEventSource p = CsvEventSource.prices(prices, bad);
        CsvEventSource f = CsvEventSource.funding(funding, bad)) {
      List<ReplayEvent> defs = FundsFile.toEvents(FundsFile.read(funds, bad), 10);
      StableMerge merge = new StableMerge(List.of(EventSource.of(defs), f, p));
      List<String> order = new ArrayList<>();
      ReplayEvent e;
      while ((e = merge.poll()) != null) {
        order.add(e.kind() + ":" + e.key() + "@" + e.timestamp());
      }
      assertThat(order)
          .containsExactly(
              "DEFINITION:UNDATED@10",
              "FUNDING:X@10",
              "PRICE:X@10",
              "DEFINITION:DATED@20",
              "PRICE:X@30");
    }
  }
}
