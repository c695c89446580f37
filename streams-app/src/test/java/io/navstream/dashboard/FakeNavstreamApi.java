package io.navstream.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * A stand-in for navstream's HTTP API, for the dashboard's browser test until it runs against the
 * real app: the built dashboard from a directory, {@code /} redirecting to it, and the four read
 * endpoints the page calls, with the same JSON shapes (decimals as strings, times as ISO-8601).
 *
 * <p>Every {@code GET /funds} advances the market by one tick (12 s of event time), so NAVs change
 * on each poll and a 1-minute candle closes every five polls. The funds follow the README's NAV rule
 * {@code NAV = NAV_r · (1 + s·L·(P/P_r − 1))} from their last rebalance.
 *
 * <p>Standalone, for working on the page: {@code java FakeNavstreamApi.java DASHBOARD_DIR [PORT]}
 * (port 0, the default, picks a free one and prints the URL).
 */
public final class FakeNavstreamApi implements AutoCloseable {

  private static final Duration TICK = Duration.ofSeconds(12);
  private static final int HISTORY_MINUTES = 240;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path dashboardDir;
  private final Map<String, Fund> funds = new LinkedHashMap<>();
  private final Map<String, Double> prices = new HashMap<>();
  private final Random random = new Random(42);
  private Instant now;
  private long ticks;

  private static final class Fund {
    final String id;
    final String underlying;
    final int sign;
    final double target;
    final double minLev;
    final double maxLev;
    final double thresholdMove;
    boolean paused;
    boolean overdue;
    String status = "ACTIVE";
    double shares = 1_000_000;
    double q;
    double cash;
    double lastPrice;
    double lastRebalancePrice;
    Instant lastRebalanceTime;
    int sequence;
    final List<String> rebalances = new ArrayList<>(); // JSON objects, newest first
    final List<double[]> candles = new ArrayList<>(); // {startEpochSecond, open, high, low, close, leverage}
    double[] open; // the candle being built

    Fund(String id, String underlying, int sign, double target, double minLev, double maxLev, double thresholdMove) {
      this.id = id;
      this.underlying = underlying;
      this.sign = sign;
      this.target = target;
      this.minLev = minLev;
      this.maxLev = maxLev;
      this.thresholdMove = thresholdMove;
    }

    double equity(double p) {
      return cash + q * p;
    }

    double nav(double p) {
      return equity(p) / shares;
    }

    double leverage(double p) {
      double e = equity(p);
      return e <= 0 ? 0 : Math.abs(q) * p / e;
    }
  }

  public FakeNavstreamApi(Path dashboardDir) throws IOException {
    this(dashboardDir, 0);
  }

  public FakeNavstreamApi(Path dashboardDir, int port) throws IOException {
    this.dashboardDir = dashboardDir.toAbsolutePath().normalize();
    seed();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fake-navstream-api");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String baseUrl() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  /** How many times {@code GET /funds} has been answered. */
  public synchronized long ticks() {
    return ticks;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------- market

  private void seed() {
    prices.put("BTC-USDT", 64_250.0);
    prices.put("ETH-USDT", 3_120.0);
    prices.put("SOL-USDT", 148.0);
    add(new Fund("BTC3L", "BTC-USDT", 1, 3, 2.5, 3.5, 0.10));
    add(new Fund("BTC3S", "BTC-USDT", -1, 3, 2.5, 3.5, 0.10));
    add(new Fund("ETH5L", "ETH-USDT", 1, 5, 4.2, 6.0, 0.06));
    Fund sol = add(new Fund("SOL2S", "SOL-USDT", -1, 2, 1.6, 2.4, 0.15));
    sol.paused = true;
    sol.overdue = true;

    // History: HISTORY_MINUTES of one tick per 12 s, ending now, with a daily rebalance early on.
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    now = end.minus(Duration.ofMinutes(HISTORY_MINUTES));
    for (Fund f : funds.values()) {
      rebalance(f, prices.get(f.underlying), "INCEPTION", now.minus(Duration.ofHours(30)));
      rebalance(f, prices.get(f.underlying), "DAILY", now.minus(Duration.ofHours(6)));
    }
    while (now.isBefore(end)) {
      step();
    }
  }

  private Fund add(Fund f) {
    funds.put(f.id, f);
    return f;
  }

  /** One tick: every underlying moves, every fund updates its candle and may rebalance. */
  private void step() {
    now = now.plus(TICK);
    for (Map.Entry<String, Double> e : prices.entrySet()) {
      double vol = e.getKey().startsWith("BTC") ? 0.0009 : 0.0013;
      e.setValue(e.getValue() * (1 + vol * random.nextGaussian() + 0.00002));
    }
    long minute = now.getEpochSecond() / 60 * 60;
    for (Fund f : funds.values()) {
      double p = prices.get(f.underlying);
      f.lastPrice = p;
      double nav = f.nav(p);
      double lev = f.leverage(p);
      if (f.open != null && (long) f.open[0] != minute) {
        f.candles.add(f.open);
        if (f.candles.size() > 7 * 24 * 60) {
          f.candles.remove(0);
        }
        f.open = null;
      }
      if (f.open == null) {
        f.open = new double[] {minute, nav, nav, nav, nav, lev};
      } else {
        f.open[2] = Math.max(f.open[2], nav);
        f.open[3] = Math.min(f.open[3], nav);
        f.open[4] = nav;
        f.open[5] = lev;
      }
      if (!f.paused) {
        boolean threshold = f.sign > 0
            ? p <= f.lastRebalancePrice * (1 - f.thresholdMove)
            : p >= f.lastRebalancePrice * (1 + f.thresholdMove);
        if (threshold) {
          rebalance(f, p, "THRESHOLD", now);
        } else if (lev < f.minLev || lev > f.maxLev) {
          rebalance(f, p, "BAND", now);
        }
      }
    }
  }

  private void rebalance(Fund f, double p, String reason, Instant at) {
    double equity = f.q == 0 ? 100.0 * f.shares : f.equity(p);
    double before = f.q == 0 ? 0 : f.leverage(p);
    double q2 = f.sign * f.target * equity / p;
    double delta = q2 - f.q;
    double fee = f.q == 0 ? 0 : Math.abs(delta) * p * 0.0005;
    f.sequence++;
    f.rebalances.add(0, "{" + String.join(",",
        str("instructionId", f.id + "-" + f.sequence),
        str("eventTime", at.toString()),
        str("reason", reason),
        str("side", delta > 0 ? "BUY" : delta < 0 ? "SELL" : "NONE"),
        dec("price", p),
        dec("deltaQuantity", delta),
        dec("notional", Math.abs(delta) * p),
        dec("leverageBefore", before),
        dec("leverageAfter", f.target),
        dec("tradingFee", fee)) + "}");
    if (f.rebalances.size() > 100) {
      f.rebalances.remove(f.rebalances.size() - 1);
    }
    f.q = q2;
    f.cash = equity - fee - q2 * p;
    f.lastRebalancePrice = p;
    f.lastRebalanceTime = at;
  }

  private Instant nextScheduled(Fund f) {
    if (f.overdue) {
      return now.minus(Duration.ofMinutes(47));
    }
    Instant midnight = f.lastRebalanceTime.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    return midnight.isAfter(now) ? midnight : now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
  }

  // ---------------------------------------------------------------- JSON

  private static String str(String k, String v) {
    return "\"" + k + "\":" + (v == null ? "null" : "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
  }

  private static String dec(String k, double v) {
    return str(k, Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(18, RoundingMode.HALF_EVEN).toPlainString() : null);
  }

  private static String bool(String k, boolean v) {
    return "\"" + k + "\":" + v;
  }

  private List<String> summaryFields(Fund f) {
    double p = f.lastPrice;
    List<String> out = new ArrayList<>();
    out.add(str("fundId", f.id));
    out.add(str("underlying", f.underlying));
    out.add(str("status", f.status));
    out.add(dec("nav", f.nav(p)));
    out.add(dec("equity", f.equity(p)));
    out.add(dec("leverage", f.leverage(p)));
    out.add(dec("price", p));
    out.add(str("eventTime", now.toString()));
    out.add(dec("lastRebalancePrice", f.lastRebalancePrice));
    out.add(str("lastRebalanceTime", f.lastRebalanceTime.toString()));
    out.add(str("nextScheduledRebalance", nextScheduled(f).toString()));
    out.add(bool("rebalancesPaused", f.paused));
    out.add(dec("targetLeverage", f.target));
    out.add(dec("minLeverage", f.minLev));
    out.add(dec("maxLeverage", f.maxLev));
    out.add(dec("thresholdMove", f.thresholdMove));
    out.add(bool("overdue", f.overdue));
    return out;
  }

  private synchronized String fundsJson() {
    step();
    ticks++;
    List<String> items = new ArrayList<>();
    for (Fund f : funds.values()) {
      items.add("{" + String.join(",", summaryFields(f)) + "}");
    }
    return "{\"funds\":[" + String.join(",", items) + "]}";
  }

  private synchronized String fundJson(Fund f) {
    List<String> fields = summaryFields(f);
    fields.add(str("direction", f.sign > 0 ? "LONG" : "SHORT"));
    fields.add(dec("shares", f.shares));
    fields.add(dec("positionQuantity", f.q));
    fields.add(dec("cash", f.cash));
    double p = f.lastPrice;
    double thresholdPrice = f.lastRebalancePrice * (1 + (f.sign > 0 ? -f.thresholdMove : f.thresholdMove));
    // leverage x = |q|P / (C + qP)  ⇒  P = x·C / (|q| − s·x·|q|) = x·C / (q·(s − x))·s ... solved per side:
    double lower = bandExit(f, f.minLev);
    double upper = bandExit(f, f.maxLev);
    List<String> tr = new ArrayList<>();
    tr.add(dec("thresholdPrice", thresholdPrice));
    tr.add(dec("thresholdDistancePct", (thresholdPrice / p - 1) * 100));
    // The price at which leverage falls below the band and the one at which it rises above it.
    double a = f.sign > 0 ? upper : lower;
    double b = f.sign > 0 ? lower : upper;
    tr.add(dec("bandLowerExitPrice", Math.min(a, b)));
    tr.add(dec("bandUpperExitPrice", Math.max(a, b)));
    fields.add("\"triggers\":{" + String.join(",", tr) + "}");
    return "{" + String.join(",", fields) + "}";
  }

  /** The price at which the fund's leverage equals x: |q|·P = x·(C + q·P). */
  private static double bandExit(Fund f, double x) {
    double q = f.q;
    double denom = Math.abs(q) - x * q;
    return denom == 0 ? Double.NaN : x * f.cash / denom;
  }

  private synchronized String rebalancesJson(Fund f, int limit) {
    List<String> list = f.rebalances.subList(0, Math.min(limit, f.rebalances.size()));
    return "{" + str("fundId", f.id) + ",\"rebalances\":[" + String.join(",", list) + "]}";
  }

  private synchronized String navJson(Fund f, Instant from, Instant to) {
    List<String> items = new ArrayList<>();
    for (double[] c : f.candles) {
      Instant start = Instant.ofEpochSecond((long) c[0]);
      if (!start.isBefore(from) && start.isBefore(to)) {
        items.add("{" + String.join(",",
            str("start", start.toString()),
            str("end", start.plusSeconds(60).toString()),
            dec("open", c[1]), dec("high", c[2]), dec("low", c[3]), dec("close", c[4]), dec("leverage", c[5]))
            + "}");
      }
    }
    return "{" + str("fundId", f.id) + "," + str("interval", "1m") + ",\"candles\":[" + String.join(",", items) + "]}";
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      URI uri = ex.getRequestURI();
      String path = uri.getPath();
      Map<String, String> q = query(uri.getRawQuery());
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        error(ex, 405, "method not allowed");
      } else if (path.equals("/")) {
        ex.getResponseHeaders().set("Location", "/dashboard/index.html");
        ex.sendResponseHeaders(302, -1);
      } else if (path.equals("/dashboard") || path.equals("/dashboard/")) {
        ex.getResponseHeaders().set("Location", "/dashboard/index.html");
        ex.sendResponseHeaders(302, -1);
      } else if (path.startsWith("/dashboard/")) {
        serveFile(ex, path.substring("/dashboard/".length()));
      } else if (path.equals("/funds")) {
        json(ex, 200, fundsJson());
      } else if (path.startsWith("/funds/")) {
        String[] parts = path.substring("/funds/".length()).split("/");
        Fund f = funds.get(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
        if (f == null) {
          error(ex, 404, "unknown fund " + parts[0]);
        } else if (parts.length == 1) {
          json(ex, 200, fundJson(f));
        } else if (parts.length == 2 && parts[1].equals("rebalances")) {
          int limit = Integer.parseInt(q.getOrDefault("limit", "20"));
          json(ex, 200, rebalancesJson(f, Math.max(1, Math.min(limit, 100))));
        } else if (parts.length == 2 && parts[1].equals("premium")) {
          // Only BTC3L's token has a market price here: a 7% premium, past the 5% threshold.
          if (f.id.equals("BTC3L")) {
            json(ex, 200, "{\"fundId\":\"BTC3L\",\"eventTime\":\"" + now + "\",\"marketPrice\":\"1.07\","
                + "\"nav\":\"1\",\"premium\":\"0.070000000000000000\",\"alert\":true,"
                + "\"threshold\":\"0.050000000000000000\"}");
          } else {
            ex.sendResponseHeaders(204, -1); // none yet: no body, and no failed request in the browser
          }
        } else if (parts.length == 2 && parts[1].equals("nav")) {
          Instant to = q.containsKey("to") ? Instant.parse(q.get("to")) : now.plusSeconds(60);
          Instant from = q.containsKey("from") ? Instant.parse(q.get("from")) : to.minus(Duration.ofHours(3));
          json(ex, 200, navJson(f, from, to));
        } else {
          error(ex, 404, "not found");
        }
      } else {
        error(ex, 404, "not found");
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      error(ex, 400, "bad parameter: " + e.getMessage());
    } catch (RuntimeException e) {
      error(ex, 500, e.toString());
    }
  }

  private void serveFile(HttpExchange ex, String rel) throws IOException {
    Path file = dashboardDir.resolve(URLDecoder.decode(rel, StandardCharsets.UTF_8)).normalize();
    if (!file.startsWith(dashboardDir) || !Files.isRegularFile(file)) {
      error(ex, 404, "not found");
      return;
    }
    String name = file.getFileName().toString();
    String type = name.endsWith(".html") ? "text/html; charset=utf-8"
        : name.endsWith(".js") ? "text/javascript; charset=utf-8"
        : name.endsWith(".css") ? "text/css; charset=utf-8"
        : name.endsWith(".svg") ? "image/svg+xml"
        : name.endsWith(".png") ? "image/png"
        : "application/octet-stream";
    send(ex, 200, type, Files.readAllBytes(file));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int i = kv.indexOf('=');
      String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
      String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  private static void json(HttpExchange ex, int status, String body) throws IOException {
    send(ex, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    json(ex, status, "{" + str("error", message) + ",\"status\":" + status + "}");
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "streams-app/target/classes/dashboard");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    FakeNavstreamApi api = new FakeNavstreamApi(dir, port);
    System.out.println(api.baseUrl() + "/");
    Thread.currentThread().join();
  }
}
