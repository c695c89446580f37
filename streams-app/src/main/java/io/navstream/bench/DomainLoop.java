package io.navstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.navstream.avro.FundDefinition;
import io.navstream.fund.Decimals;
import io.navstream.fund.Fund;
import io.navstream.fund.FundBook;
import io.navstream.fund.FundSpec;
import io.navstream.fund.NavPoint;
import io.navstream.fund.Step;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bare domain loop, the baseline replay's speed is measured against: the funds and ticks of a
 * replay input through {@link Fund#onPrice} alone (the same NAV and rebalance code the topology
 * runs), with no Kafka, Avro or JSON. Definitions get scale 18, as they reach the topology from
 * the wire, and prices are {@link Decimals#lean}, as the topology hands them on. The input is
 * parsed up front ({@link #load}); {@link #run} times only the loop.
 *
 * <p>Only plain definitions and prices are read: the loop measures the per-tick arithmetic, which
 * is what replay's speed is about.
 */
final class DomainLoop {
  /** A parsed replay input. */
  record Input(List<List<FundSpec>> specsBySymbol, int[] symbol, BigDecimal[] price, Instant[] time) {
    int ticks() {
      return price.length;
    }

    int funds() {
      return specsBySymbol.stream().mapToInt(List::size).sum();
    }
  }

  /** One pass: how long, how many NAV updates, and a checksum that keeps the JIT honest. */
  record Pass(double seconds, long navUpdates, int check) {
    double ticksPerSecond(int ticks) {
      return ticks / seconds;
    }
  }

  private DomainLoop() {}

  static Input load(Path dir) throws IOException {
    Instant epoch = Instant.EPOCH;
    Map<String, List<FundSpec>> specsByUnderlying = new HashMap<>();
    for (JsonNode f : new ObjectMapper().readTree(dir.resolve("funds.json").toFile())) {
      FundSpec spec = FundSpec.validate(new FundSpec.Draft(
          text(f, "fundId"), text(f, "underlying"), text(f, "direction"),
          decimal(f, "targetLeverage"), decimal(f, "initialNav"), decimal(f, "initialShares"),
          null, text(f, "dailyRebalanceTime"), text(f, "rebalanceTimeZone"),
          decimal(f, "thresholdMove"), decimal(f, "minLeverage"), decimal(f, "maxLeverage"),
          decimal(f, "recenteringSpeed"), decimal(f, "managementFeeDaily"),
          decimal(f, "tradingFeeRate")), epoch);
      specsByUnderlying.computeIfAbsent(spec.underlying(), u -> new ArrayList<>()).add(spec);
    }
    List<String> symbols = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    int n;
    try (var lines = Files.lines(dir.resolve("prices.csv"))) {
      n = (int) Math.max(0, lines.count() - 1);
    }
    int[] sym = new int[n];
    BigDecimal[] price = new BigDecimal[n];
    Instant[] time = new Instant[n];
    try (BufferedReader in = Files.newBufferedReader(dir.resolve("prices.csv"))) {
      in.readLine(); // header
      int i = 0;
      for (String line; (line = in.readLine()) != null && i < n; i++) {
        String[] cells = line.split(",");
        sym[i] = index.computeIfAbsent(cells[1], s -> {
          symbols.add(s);
          return symbols.size() - 1;
        });
        time[i] = Instant.ofEpochMilli(Long.parseLong(cells[0]));
        price[i] = Decimals.lean(new BigDecimal(cells[2]));
      }
    }
    List<List<FundSpec>> specs = symbols.stream()
        .map(s -> specsByUnderlying.getOrDefault(s, List.of())).toList();
    return new Input(specs, sym, price, time);
  }

  /** One pass over all ticks from freshly defined (pending) funds. */
  static Pass run(Input input) {
    Instant epoch = Instant.EPOCH;
    FundBook[][] books = new FundBook[input.specsBySymbol().size()][];
    for (int s = 0; s < books.length; s++) {
      books[s] = input.specsBySymbol().get(s).stream()
          .map(spec -> FundBook.pending(spec, epoch)).toArray(FundBook[]::new);
    }
    int[] sym = input.symbol();
    BigDecimal[] price = input.price();
    Instant[] time = input.time();
    long navs = 0;
    int check = 0;
    long started = System.nanoTime();
    for (int i = 0; i < price.length; i++) {
      FundBook[] funds = books[sym[i]];
      for (int k = 0; k < funds.length; k++) {
        Step step = Fund.onPrice(funds[k], price[i], time[i]);
        funds[k] = step.book();
        if (step.nav().isPresent()) {
          NavPoint nav = step.nav().get();
          navs++;
          check ^= nav.nav().hashCode();
        }
      }
    }
    return new Pass((System.nanoTime() - started) / 1e9, navs, check);
  }

  /** A wire definition as the domain's draft (what the topology's codec does). */
  static FundSpec.Draft draft(FundDefinition d) {
    return new FundSpec.Draft(d.getFundId(), d.getUnderlying(), d.getDirection().name(),
        d.getTargetLeverage(), d.getInitialNav(), d.getInitialShares(), d.getEffectiveTime(),
        d.getDailyRebalanceTime(), d.getRebalanceTimeZone(), d.getThresholdMove(),
        d.getMinLeverage(), d.getMaxLeverage(), d.getRecenteringSpeed(),
        d.getManagementFeeDaily(), d.getTradingFeeRate());
  }

  private static String text(JsonNode f, String field) {
    JsonNode v = f.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static BigDecimal decimal(JsonNode f, String field) {
    JsonNode v = f.get(field);
    return v == null || v.isNull() ? null : new BigDecimal(v.asText()).setScale(18);
  }
}
