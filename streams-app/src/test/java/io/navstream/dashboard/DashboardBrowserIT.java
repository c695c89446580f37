package io.navstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.navstream.avro.Direction;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import io.navstream.avro.TokenPrice;
import io.navstream.config.ConfigKeys;
import io.navstream.it.ApiInstance;
import io.navstream.it.SharedStack;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.RegistrySettings;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.topology.Topics;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The dashboard in a real browser, served by the real app: an in-process broker and registry
 * ({@link SharedStack}), a real {@link io.navstream.app.NavstreamApp} with its {@link
 * io.navstream.query.OperatorApi} (which serves the built dashboard from the classpath at {@code /}),
 * three funds, and a ticker that keeps publishing prices while the page is open. It runs {@code
 * src/test/browser/dashboard.spec.mjs} (node's test runner, playwright-core driving Debian's {@code
 * /usr/bin/chromium}), which checks that the fund rows and the chart render and update, and saves
 * {@code target/dashboard.png} (the README's {@code docs/images/dashboard.png} is a copy of it).
 *
 * <p>{@code -Dnavstream.dashboard.url=http://host:port/} (or {@code NAVSTREAM_DASHBOARD_URL}) points
 * the browser at an app that is already running instead.
 *
 * <p>It fails, rather than skips, when node, chromium, the front end's node_modules or the built
 * dashboard ({@code target/classes/dashboard}) are missing: {@code .ci/run} installs chromium, and
 * the Maven build runs {@code npm ci} and {@code npm run build}.
 */
class DashboardBrowserIT {
  private static final long TIMEOUT_SECONDS = 180;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  /** Event time moves by this much per published tick, so minute candles close while the page looks. */
  private static final Duration TICK_STEP = Duration.ofSeconds(15);
  private static final long TICK_EVERY_MS = 300;
  private static final String TOKEN = "dashboard-test-token";

  private static Path moduleDir() {
    Path cwd = Path.of("").toAbsolutePath();
    for (Path candidate : List.of(cwd, cwd.resolve("streams-app"))) {
      if (Files.isRegularFile(candidate.resolve("src/test/browser/dashboard.spec.mjs"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find streams-app/src/test/browser/dashboard.spec.mjs from " + cwd);
  }

  @Test
  void dashboardRendersAndUpdatesInChromium() throws Exception {
    Path module = moduleDir();
    Path spec = module.resolve("src/test/browser/dashboard.spec.mjs");
    Path frontend = module.resolve("src/main/frontend");
    Path screenshot = module.resolve("target/dashboard.png");
    Path log = module.resolve("target/dashboard-browser.log");
    String chromium = env("NAVSTREAM_CHROMIUM", "/usr/bin/chromium");

    String node = requireNode();
    if (!Files.isExecutable(Path.of(chromium))) {
      fail(chromium + " is missing: the dashboard's browser test needs Debian's chromium "
          + "(apt-get install -y chromium; .ci/run installs it)");
    }
    if (!Files.isDirectory(frontend.resolve("node_modules/playwright-core"))) {
      fail("playwright-core is missing from " + frontend + "/node_modules: run `npm ci` there "
          + "(the Maven build does, in generate-resources)");
    }

    String url = System.getProperty("navstream.dashboard.url", System.getenv("NAVSTREAM_DASHBOARD_URL"));
    try (LiveApp live = url == null || url.isBlank() ? LiveApp.start() : null) {
      if (live != null) {
        url = live.instance.url() + "/";
      }
      Files.deleteIfExists(screenshot);
      Files.createDirectories(log.getParent());

      ProcessBuilder pb = new ProcessBuilder(node, "--test", "--test-reporter=spec", spec.toString())
          .directory(module.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.put("NAVSTREAM_DASHBOARD_URL", url);
      env.put("NAVSTREAM_SCREENSHOT", screenshot.toString());
      env.put("NAVSTREAM_CHROMIUM", chromium);
      env.put("NAVSTREAM_FRONTEND_DIR", frontend.toString());
      env.put("NO_COLOR", "1");
      Process process = pb.start();
      boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail("the browser test did not finish in " + TIMEOUT_SECONDS + " s; its output:\n" + read(log));
      }
      String output = read(log);
      assertThat(process.exitValue())
          .withFailMessage("the browser test against %s failed (exit %d); its output (%s):%n%s",
              url, process.exitValue(), log, output)
          .isZero();
      assertThat(screenshot).withFailMessage("no screenshot at %s; output:%n%s", screenshot, output).isRegularFile();
      assertThat(Files.size(screenshot)).withFailMessage("empty screenshot %s", screenshot).isPositive();
      if (live != null) {
        assertThat(live.published()).withFailMessage("the ticker published no prices while the page was open")
            .isGreaterThan(live.publishedBeforeBrowser);
      }
    }
  }

  /**
   * The real app on an in-process stack, with three funds on two underlyings and a ticker that
   * publishes one price of each underlying every {@value #TICK_EVERY_MS} ms (a seeded walk, event
   * time {@link #TICK_STEP} apart, from the next minute on).
   */
  private static final class LiveApp implements AutoCloseable {
    private final SharedStack stack;
    private final SchemaRegistry registry;
    private final Topics topics;
    private final ApiInstance instance;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dashboard-ticker");
      t.setDaemon(true);
      return t;
    });
    private final AtomicLong published = new AtomicLong();
    private final Random random = new Random(42);
    private final Map<String, Double> prices = new LinkedHashMap<>(Map.of("BTC-USDT", 100_000.0, "ETH-USDT", 3_500.0));
    /**
     * Event time starts at the next minute and runs ahead of the wall clock, as the demo's does:
     * an operator command (stamped with the wall clock) then takes effect at the watermark.
     */
    private Instant eventTime = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    private long publishedBeforeBrowser;

    private LiveApp(SharedStack stack) {
      this.stack = stack;
      this.registry = SchemaRegistries.connect(RegistrySettings.of(stack.registryUrl()));
      this.topics = new Topics(ApiInstance.topics("dashboard"), new AvroSerdes(registry, true));
      this.instance = ApiInstance.start(ApiInstance.config(stack,
          "dashboard-" + UUID.randomUUID().toString().substring(0, 8), topics.names(), 2,
          Map.of(ConfigKeys.HTTP_AUTH_TOKEN, TOKEN)));
      this.producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
          ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    static LiveApp start() {
      SharedStack stack = SharedStack.start("DashboardBrowserIT");
      LiveApp live;
      try {
        live = new LiveApp(stack);
      } catch (RuntimeException | Error e) {
        stack.close();
        throw e;
      }
      try {
        live.define();
        // The books exist (PENDING) before the first price: definitions go through a repartition.
        live.awaitFunds(funds -> funds.size() == 3, "three funds");
        live.ticker.scheduleWithFixedDelay(live::tickQuietly, 0, TICK_EVERY_MS, TimeUnit.MILLISECONDS);
        live.awaitFunds(funds -> funds.size() == 3
            && funds.findValues("nav").stream().noneMatch(JsonNode::isNull), "three funds with a NAV");
        // An operator pauses ETH2L and rebalances BTC3L by hand: the page shows PAUSED and MANUAL.
        live.post("/funds/ETH2L/pause");
        live.post("/funds/BTC3L/rebalance");
        live.awaitFunds(funds -> funds.findParents("fundId").stream().anyMatch(
            f -> "ETH2L".equals(f.get("fundId").asText()) && f.get("rebalancesPaused").asBoolean()),
            "ETH2L paused");
        live.publishedBeforeBrowser = live.published();
        return live;
      } catch (RuntimeException | Error e) {
        live.close();
        throw e;
      }
    }

    private void define() {
      List<FundDefinition> funds = List.of(
          fund("BTC3L", "BTC-USDT", Direction.LONG).build(),
          fund("BTC3S", "BTC-USDT", Direction.SHORT).build(),
          fund("ETH2L", "ETH-USDT", Direction.LONG).setTargetLeverage(dec("2")).setMinLeverage(dec("1.5"))
              .setMaxLeverage(dec("2.5")).build());
      ApiInstance.produce(stack, topics, funds, eventTime.toEpochMilli(), List.of());
    }

    private static FundDefinition.Builder fund(String id, String underlying, Direction d) {
      return FundDefinition.newBuilder().setFundId(id).setUnderlying(underlying).setDirection(d)
          .setTargetLeverage(dec("3")).setInitialNav(dec("100")).setInitialShares(dec("1000"))
          .setThresholdMove(dec("0.1")).setMinLeverage(dec("2.5")).setMaxLeverage(dec("3.5"))
          .setDailyRebalanceTime("00:00").setEffectiveTime(Instant.EPOCH);
    }

    private static BigDecimal dec(String v) {
      return new BigDecimal(v).setScale(18, RoundingMode.UNNECESSARY);
    }

    /** One price per underlying, a step later in event time. */
    private synchronized void tick() {
      String topic = topics.prices().name();
      for (Map.Entry<String, Double> e : prices.entrySet()) {
        double next = e.getValue() * (1 + random.nextGaussian() * 0.004);
        e.setValue(next);
        PriceTick tick = new PriceTick(e.getKey(),
            BigDecimal.valueOf(next).setScale(2, RoundingMode.HALF_EVEN).setScale(18), eventTime);
        try {
          producer.send(new ProducerRecord<>(topic, null, eventTime.toEpochMilli(), e.getKey(),
              topics.prices().valueSerde().serializer().serialize(topic, tick))).get();
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          return;
        } catch (java.util.concurrent.ExecutionException ex) {
          throw new IllegalStateException("publishing a tick", ex.getCause());
        }
        published.incrementAndGet();
      }
      // BTC3L's token trades at 100 (its initial NAV) on the market: the page shows its premium.
      String tokenTopic = topics.tokenPrices().name();
      TokenPrice token = new TokenPrice("BTC3L", dec("100"), eventTime);
      try {
        producer.send(new ProducerRecord<>(tokenTopic, null, eventTime.toEpochMilli(), "BTC3L",
            topics.tokenPrices().valueSerde().serializer().serialize(tokenTopic, token))).get();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException ex) {
        throw new IllegalStateException("publishing a token price", ex.getCause());
      }
      eventTime = eventTime.plus(TICK_STEP);
    }

    private void tickQuietly() {
      try {
        tick();
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(DashboardBrowserIT.class).warn("ticker: {}", e.toString());
      }
    }

    long published() {
      return published.get();
    }

    /** An operator action with the token; the API answers 202 once the command is on its topic. */
    private void post(String path) {
      try {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(instance.url() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(15)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(202);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Until GET /funds answers 200 and its funds satisfy {@code condition}. */
    private void awaitFunds(java.util.function.Predicate<JsonNode> condition, String what) {
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      String[] last = {"nothing yet"};
      SharedStack.await(READY_TIMEOUT, () -> {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(instance.url() + "/funds"))
              .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
          last[0] = r.statusCode() + " " + r.body();
          if (r.statusCode() != 200) {
            return false;
          }
          return condition.test(json.readTree(r.body()).get("funds"));
        } catch (java.io.IOException e) {
          last[0] = e.toString();
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }, () -> "GET /funds: " + what + "; last answer: " + last[0]);
    }

    @Override
    public void close() {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      producer.close(Duration.ofSeconds(5));
      instance.close();
      registry.close();
      stack.close();
    }
  }

  private static String requireNode() throws InterruptedException {
    String node = env("NAVSTREAM_NODE", "node");
    try {
      Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("`" + node + " --version` failed: " + version);
      }
      return node;
    } catch (IOException e) {
      fail("node is missing (" + e.getMessage() + "): the dashboard's browser test needs Node.js 18+ on the PATH");
      return null;
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
