import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.navstream.fund.Fund;
import io.navstream.fund.FundBook;
import io.navstream.fund.FundSpec;
import io.navstream.fund.NavPoint;
import io.navstream.fund.Step;
import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bare domain loop, the baseline that replay's speed is measured against: the same funds and
 * ticks as a replay input, through {@link Fund#onPrice} alone, with no Kafka, Avro or JSON.
 * Definitions have scale 18, as they reach the topology from the wire, and prices are lean, as the
 * topology passes them on. Inputs are parsed up front and the loop is timed on its own (wall and
 * this thread's CPU time, since the machine may be shared), best of several passes after a
 * warm-up.
 *
 * <pre>
 * python3 benchmarks/make-replay-input.py /tmp/perf-1m 1000000 3 4
 * java -cp streams-app/target/navstream.jar benchmarks/DomainLoop.java /tmp/perf-1m [passes=5] [wire]
 * </pre>
 *
 * With {@code wire}, prices are passed at scale 18, as the topology passed them before it made
 * them lean.
 *
 * Only plain definitions (no retirements or staged changes) and prices are read: the loop
 * measures the per-tick arithmetic, which is what replay's speed is about.
 */
public final class DomainLoop {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private DomainLoop() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    boolean wirePrices = args.length > 2 && args[2].equals("wire");

    Map<String, List<FundSpec>> specsByUnderlying = new HashMap<>();
    Instant epoch = Instant.EPOCH;
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
    List<Integer> tickSymbol = new ArrayList<>();
    List<BigDecimal> tickPrice = new ArrayList<>();
    List<Instant> tickTime = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(dir.resolve("prices.csv"))) {
      in.readLine(); // header
      for (String line; (line = in.readLine()) != null; ) {
        String[] cells = line.split(",");
        tickSymbol.add(index.computeIfAbsent(cells[1], s -> {
          symbols.add(s);
          return symbols.size() - 1;
        }));
        tickTime.add(Instant.ofEpochMilli(Long.parseLong(cells[0])));
        tickPrice.add(wirePrices ? new BigDecimal(cells[2]).setScale(18) : lean(new BigDecimal(cells[2])));
      }
    }
    int n = tickPrice.size();
    int[] sym = tickSymbol.stream().mapToInt(Integer::intValue).toArray();
    BigDecimal[] price = tickPrice.toArray(BigDecimal[]::new);
    Instant[] time = tickTime.toArray(Instant[]::new);
    System.out.printf("%d ticks, %d underlyings, %d funds%n", n, symbols.size(),
        specsByUnderlying.values().stream().mapToInt(List::size).sum());

    double best = Double.MAX_VALUE;
    double bestCpu = Double.MAX_VALUE;
    for (int pass = 0; pass <= passes; pass++) {
      FundBook[][] books = new FundBook[symbols.size()][];
      for (int s = 0; s < books.length; s++) {
        List<FundSpec> specs = specsByUnderlying.getOrDefault(symbols.get(s), List.of());
        books[s] = specs.stream().map(spec -> FundBook.pending(spec, epoch)).toArray(FundBook[]::new);
      }
      long navs = 0;
      int check = 0;
      long started = System.nanoTime();
      long cpuStarted = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        FundBook[] funds = books[sym[i]];
        for (int k = 0; k < funds.length; k++) {
          Step step = Fund.onPrice(funds[k], price[i], time[i]);
          funds[k] = step.book();
          if (step.nav().isPresent()) {
            NavPoint nav = step.nav().get();
            navs++;
            check ^= nav.nav().hashCode(); // keeps the work from being optimized away
          }
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpu = (THREADS.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
      System.out.printf("%s %d: %.3f s (cpu %.3f s), %.0f ticks/s (%.0f per cpu s), %d nav updates"
              + " (check %08x)%n", pass == 0 ? "warm-up" : "pass", pass, seconds, cpu, n / seconds,
          n / cpu, navs, check);
      if (pass > 0) {
        best = Math.min(best, seconds);
        bestCpu = Math.min(bestCpu, cpu);
      }
    }
    System.out.printf("best: %.3f s, %.0f ticks/s; cpu %.3f s, %.0f ticks per cpu s%n", best,
        n / best, bestCpu, n / bestCpu);
  }

  /** As the topology hands prices to the domain (Decimals.lean, which older builds lack). */
  private static BigDecimal lean(BigDecimal price) {
    BigDecimal stripped = price.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
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
