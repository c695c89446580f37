package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.avro.FlowType;
import io.navstream.avro.FundFlow;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import io.navstream.avro.TokenPrice;
import io.navstream.replay.testsupport.PriceSeriesGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvEventSourceTest {
  private static final long MIDNIGHT = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();
  private final BadRows bad = new BadRows(new PrintWriter(err, true), 100);

  private List<ReplayEvent> readPrices(String csv) throws IOException {
    Path file = Files.writeString(dir.resolve("prices.csv"), csv);
    try (CsvEventSource source = CsvEventSource.prices(file, bad)) {
      return drain(source);
    }
  }

  private static List<ReplayEvent> drain(EventSource source) throws IOException {
    List<ReplayEvent> events = new ArrayList<>();
    ReplayEvent e;
    while ((e = source.poll()) != null) {
      events.add(e);
    }
    return events;
  }

  @Test
  void readsFlowsAndTokenPricesWithTheirOwnHeadersInAnyColumnOrder() throws IOException {
    Path flows = Files.writeString(dir.resolve("flows.csv"), """
        fundId,timestamp,requestId,type,amount
        BTC3L,2025-01-01T00:00:00Z,c1,create,100
        BTC3L,2025-01-01T00:00:00Z,r1,REDEEM,-2
        BTC3L,2025-01-01T00:00:00Z,x1,BUY,1
        """);
    List<ReplayEvent> events;
    try (CsvEventSource source = CsvEventSource.flows(flows, bad)) {
      events = drain(source);
    }
    assertThat(events).extracting(e -> ((FundFlow) e.value()).getRequestId()).containsExactly("c1", "r1");
    assertThat(events).allMatch(e -> e.kind() == ReplayEvent.Kind.FLOW && e.key().equals("BTC3L"));
    assertThat(((FundFlow) events.get(0).value()).getType()).isEqualTo(FlowType.CREATE);
    // A negative amount is the topology's to refuse, with a reason on flow-results.
    assertThat(((FundFlow) events.get(1).value()).getAmount()).isNegative();
    assertThat(err.toString()).contains("flows.csv:4: type 'BUY' is not one of CREATE, REDEEM");

    Path tokens = Files.writeString(dir.resolve("token.csv"), "timestamp,fundId,price\n1735689600000,BTC3L,1.05\n");
    try (CsvEventSource source = CsvEventSource.tokenPrices(tokens, bad)) {
      ReplayEvent e = source.poll();
      assertThat(e.kind()).isEqualTo(ReplayEvent.Kind.TOKEN_PRICE);
      assertThat(((TokenPrice) e.value()).getPrice().toPlainString()).isEqualTo("1.050000000000000000");
    }
  }

  @Test
  void readsIsoAndEpochTimestamps() throws IOException {
    List<ReplayEvent> events =
        readPrices(
            """
            timestamp,symbol,price
            2025-01-01T00:00:00Z,BTC,100
            2025-01-01T01:00:00+01:00,ETH,3000.5
            1735689600000,BTC,101.25
            """);
    assertThat(bad.count()).isZero();
    assertThat(events).extracting(ReplayEvent::timestamp).containsOnly(MIDNIGHT);
    assertThat(events).extracting(ReplayEvent::key).containsExactly("BTC", "ETH", "BTC");
    assertThat(events).allMatch(e -> e.kind() == ReplayEvent.Kind.PRICE);
    PriceTick tick = (PriceTick) events.get(1).value();
    assertThat(tick.getSymbol()).isEqualTo("ETH");
    assertThat(tick.getPrice().toPlainString()).isEqualTo("3000.500000000000000000");
    assertThat(tick.getEventTime()).isEqualTo(Instant.ofEpochMilli(MIDNIGHT));
  }

  @Test
  void reportsBadRowsWithTheirLineNumbersAndSkipsThem() throws IOException {
    List<ReplayEvent> events =
        readPrices(
            """
            timestamp,symbol,price
            2025-01-01T00:00:00Z,BTC,100

            2025-01-01T00:00:01Z,BTC,abc
            2025-01-01T00:00:02Z,BTC
            not-a-time,BTC,100
            2025-01-01T00:00:03Z,,100
            2025-01-01T00:00:04Z,BTC,0.1234567890123456789
            "2025-01-01T00:00:05Z","BTC","105"
            2025-01-01T00:00:06Z,BTC,106,extra
            """);
    assertThat(events)
        .extracting(e -> ((PriceTick) e.value()).getPrice().intValue())
        .containsExactly(100, 105);
    assertThat(bad.count()).isEqualTo(6);
    assertThat(bad.listed())
        .extracting(BadRow::line)
        .as("line 3 is blank: skipped, not counted, and numbering stays exact")
        .containsExactly(4L, 5L, 6L, 7L, 8L, 10L);
    assertThat(bad.listed().get(0).message()).contains("price not a decimal number: 'abc'");
    assertThat(bad.listed().get(1).message()).contains("expected 3 fields, found 2");
    assertThat(bad.listed().get(2).message()).contains("not a timestamp");
    assertThat(bad.listed().get(3).message()).contains("empty symbol");
    assertThat(bad.listed().get(4).message()).contains("more than 18 decimal places");
    assertThat(err.toString())
        .contains("prices.csv:4: price not a decimal number")
        .contains("prices.csv:10: expected 3 fields");
  }

  @Test
  void lineNumbersCountQuotedLineBreaks() throws IOException {
    readPrices("timestamp,symbol,price\n2025-01-01T00:00:00Z,\"BT\nC\",1\nbad,BTC,1\n");
    assertThat(bad.listed()).extracting(BadRow::line).containsExactly(4L);
  }

  @Test
  void columnsMayComeInAnyOrderAndTheHeaderMayHaveABom() throws IOException {
    List<ReplayEvent> events = readPrices("\uFEFFSymbol, Price ,TIMESTAMP\r\nBTC,100,0\r\n");
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.key()).isEqualTo("BTC");
              assertThat(e.timestamp()).isZero();
            });
  }

  @Test
  void aBadHeaderStopsTheReplay() {
    assertThatThrownBy(() -> readPrices("time,symbol,price\n0,BTC,1\n"))
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining(
            "prices.csv:1: bad header: expected timestamp,symbol,price but found"
                + " time,symbol,price");
    assertThatThrownBy(() -> readPrices("timestamp,symbol,price,volume\n"))
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("bad header");
    assertThatThrownBy(() -> readPrices(""))
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("empty file");
  }

  @Test
  void anUnclosedQuoteStopsTheReplay() {
    assertThatThrownBy(() -> readPrices("timestamp,symbol,price\n0,\"BTC,1\n1,BTC,2\n"))
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("unreadable CSV");
  }

  @Test
  void readsFundingRates() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("funding.csv"),
            "timestamp,symbol,rate\n"
                + "2025-01-01T08:00:00Z,BTC,0.0001\n"
                + "2025-01-01T16:00:00Z,BTC,-0.00005\n");
    List<ReplayEvent> events;
    try (CsvEventSource source = CsvEventSource.funding(file, bad)) {
      events = drain(source);
    }
    assertThat(events).allMatch(e -> e.kind() == ReplayEvent.Kind.FUNDING);
    assertThat(events)
        .extracting(e -> ((FundingRate) e.value()).getRate().toPlainString())
        .containsExactly("0.000100000000000000", "-0.000050000000000000");
  }

  @Test
  void fundingFileNeedsTheRateColumn() throws IOException {
    Path file = Files.writeString(dir.resolve("funding.csv"), "timestamp,symbol,price\n");
    assertThatThrownBy(() -> CsvEventSource.funding(file, bad))
        .hasMessageContaining("expected timestamp,symbol,rate");
  }

  @Test
  void peekDoesNotConsume() throws IOException {
    Path file =
        Files.writeString(dir.resolve("prices.csv"), "timestamp,symbol,price\n1,A,1\n2,B,2\n");
    try (CsvEventSource source = CsvEventSource.prices(file, bad)) {
      assertThat(source.peek().key()).isEqualTo("A");
      assertThat(source.peek().key()).isEqualTo("A");
      assertThat(source.poll().key()).isEqualTo("A");
      assertThat(source.poll().key()).isEqualTo("B");
      assertThat(source.peek()).isNull();
      assertThat(source.poll()).isNull();
      assertThat(source.rowsRead()).isEqualTo(2);
    }
  }

  @Test
  void estimatesRowsFromTheFileSize() throws IOException {
    Path small = new PriceSeriesGenerator().write(dir.resolve("small.csv"), 10, "BTC");
    assertThat(CsvEventSource.estimateRows(small)).isEqualTo(10);
    Path big = new PriceSeriesGenerator().write(dir.resolve("big.csv"), 50_000, "BTC", "ETH");
    assertThat(CsvEventSource.estimateRows(big)).isBetween(45_000L, 55_000L);
  }
}
