package io.navstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.navstream.avro.Direction;
import io.navstream.avro.FundCommand;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import io.navstream.avro.TokenPrice;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.it.ApiInstance;
import io.navstream.it.SharedStack;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.RegistrySettings;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The operator API against the embedded broker and Apicurio, with one and with two instances. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorApiIT {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final String TOKEN = "s3cret-token";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private SharedStack stack;
  private SchemaRegistry registry;
  private AvroSerdes serdes;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  void start() {
    stack = SharedStack.start("OperatorApiIT");
    registry = SchemaRegistries.connect(RegistrySettings.of(stack.registryUrl()));
    serdes = new AvroSerdes(registry, true);
  }

  @AfterAll
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    registry.close();
    stack.close();
  }

  private static TopicNames topics(String prefix) {
    return ApiInstance.topics(prefix);
  }

  private NavstreamConfig config(String appId, TopicNames t, int partitions, Map<String, String> extra) {
    return ApiInstance.config(stack, appId, t, partitions, extra);
  }

  private ApiInstance startInstance(NavstreamConfig config) {
    ApiInstance i = ApiInstance.start(config);
    open.add(i);
    return i;
  }

  private static BigDecimal dec(String v) {
    return new BigDecimal(v).setScale(18, RoundingMode.UNNECESSARY);
  }

  private static FundDefinition fund(String id, String underlying, Direction d) {
    return FundDefinition.newBuilder().setFundId(id).setUnderlying(underlying).setDirection(d)
        .setTargetLeverage(dec("3")).setInitialNav(dec("1")).setInitialShares(dec("1"))
        .setThresholdMove(dec("0.15")).setMinLeverage(dec("2")).setMaxLeverage(dec("4"))
        .setDailyRebalanceTime("00:00").setEffectiveTime(T0).build();
  }

  private void produce(Topics t, List<FundDefinition> funds, List<PriceTick> ticks) {
    ApiInstance.produce(stack, t, funds, T0.toEpochMilli(), ticks);
  }

  private void produceTokenPrices(Topics t, List<TokenPrice> prices) throws Exception {
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
      for (TokenPrice price : prices) {
        String topic = t.tokenPrices().name();
        p.send(new ProducerRecord<>(topic, null, price.getEventTime().toEpochMilli(), price.getFundId(),
            t.tokenPrices().valueSerde().serializer().serialize(topic, price))).get();
      }
    }
  }

  record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  private Reply get(String url) {
    return call(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET().build());
  }

  private Reply post(String url, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
        .POST(HttpRequest.BodyPublishers.noBody()).header("X-Requested-By", "it-test");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return call(b.build());
  }

  private Reply call(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.headers().firstValue("Content-Type").orElse("").contains("json")
          ? json.readTree(r.body()) : null;
      return new Reply(r.statusCode(), body, r);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Reply awaitStatus(String url, int status, java.util.function.Predicate<JsonNode> also) {
    Reply[] last = new Reply[1];
    SharedStack.await(TIMEOUT, () -> {
      last[0] = get(url);
      return last[0].status() == status && also.test(last[0].body());
    }, () -> url + " → " + status + "; last " + (last[0] == null ? "none" : last[0].status() + " " + last[0].raw().body()));
    return last[0];
  }

  @Test
  void singleInstanceAnswersEveryEndpoint() throws Exception {
    TopicNames names = topics("api");
    Topics t = new Topics(names, serdes);
    ApiInstance a = startInstance(config("api-" + UUID.randomUUID().toString().substring(0, 8), names, 2,
        Map.of(ConfigKeys.HTTP_AUTH_TOKEN, TOKEN)));
    String u = a.url();
    produce(t, List.of(fund("BTC3L", "BTC-USDT", Direction.LONG), fund("BTC3S", "BTC-USDT", Direction.SHORT),
        fund("ETH3L", "ETH-USDT", Direction.LONG)), List.of());
    // The books exist (PENDING) before the first price, which then incepts them.
    awaitStatus(u + "/funds", 200, b -> b.get("funds").size() == 3);
    produce(t, List.of(),
        List.of(new PriceTick("BTC-USDT", dec("100"), T0), new PriceTick("ETH-USDT", dec("50"), T0),
            new PriceTick("BTC-USDT", dec("105"), T0.plusSeconds(60)),
            new PriceTick("ETH-USDT", dec("52"), T0.plusSeconds(120))));

    awaitStatus(u + "/ready", 200, b -> true);
    Reply funds = awaitStatus(u + "/funds", 200, b -> b.get("funds").size() == 3
        && "105.000000000000000000".equals(b.get("funds").get(0).get("price").asText())
        && "52.000000000000000000".equals(b.get("funds").get(2).get("price").asText())
        && "1.150000000000000000".equals(b.get("funds").get(0).get("nav").asText()));
    assertThat(funds.body().get("funds").findValuesAsText("fundId")).containsExactly("BTC3L", "BTC3S", "ETH3L");
    JsonNode btc3l = funds.body().get("funds").get(0);
    // The README's worked example: 3x long from NAV 1 at 100, price 105 → NAV 1.15.
    assertThat(btc3l.get("nav").asText()).isEqualTo("1.150000000000000000");
    assertThat(btc3l.get("leverage").asText()).isEqualTo("2.739130434782608696");
    assertThat(btc3l.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(btc3l.get("nextScheduledRebalance").asText()).isEqualTo("2025-01-02T00:00:00Z");
    assertThat(btc3l.get("overdue").asBoolean()).as("scheduled in 2025, the wall clock is later").isTrue();

    Reply detail = get(u + "/funds/BTC3L");
    assertThat(detail.status()).isEqualTo(200);
    JsonNode d = detail.body();
    assertThat(d.at("/book/positionQuantity").asText()).isEqualTo("0.030000000000000000");
    assertThat(d.at("/book/cash").asText()).isEqualTo("-2.000000000000000000");
    assertThat(d.at("/live/equity").asText()).isEqualTo("1.150000000000000000");
    assertThat(d.at("/definition/targetLeverage").asText()).isEqualTo("3.000000000000000000");
    assertThat(d.at("/triggers/threshold/price").asText()).isEqualTo("85.000000000000000000");
    // |q|·P/(C + q·P) = B: P = B·C/(|q| − B·q); 4·(−2)/(0.03 − 0.12), 2·(−2)/(0.03 − 0.06).
    assertThat(d.at("/triggers/leverageMax/price").asText()).isEqualTo("88.888888888888888889");
    assertThat(d.at("/triggers/leverageMin/price").asText()).isEqualTo("133.333333333333333333");
    assertThat(new BigDecimal(d.at("/triggers/threshold/distancePct").asText()))
        .isEqualByComparingTo("-19.047619");
    assertThat(d.at("/servedBy/standby").asBoolean()).isFalse();
    assertThat(d.at("/servedBy/instance").asText()).isEqualTo(u.substring("http://".length()));
    JsonNode short3 = get(u + "/funds/BTC3S").body();
    assertThat(short3.at("/triggers/threshold/price").asText()).isEqualTo("115.000000000000000000");
    assertThat(short3.at("/live/nav").asText()).isEqualTo("0.850000000000000000");

    JsonNode rebalances = awaitStatus(u + "/funds/BTC3L/rebalances?limit=5", 200,
        b -> b.get("rebalances").size() > 0).body();
    assertThat(rebalances.get("rebalances").findValuesAsText("reason")).containsExactly("INCEPTION");
    assertThat(get(u + "/funds/BTC3L/rebalances?limit=500").status()).isEqualTo(400);

    // Candles sit in the store's record cache until the next commit, so they may trail /funds.
    JsonNode minutes = awaitStatus(u + "/funds/BTC3L/nav?interval=1m", 200,
        b -> b.get("candles").size() == 2).body();
    assertThat(minutes.get("candles").findValuesAsText("close"))
        .containsExactly("1.000000000000000000", "1.150000000000000000");
    JsonNode five = get(u + "/funds/BTC3L/nav?interval=5m&from=2025-01-01T00:00:00Z&to=2025-01-01T01:00:00Z").body();
    assertThat(five.get("candles")).hasSize(1);
    assertThat(five.at("/candles/0/open").asText()).isEqualTo("1.000000000000000000");
    assertThat(five.at("/candles/0/high").asText()).isEqualTo("1.150000000000000000");
    assertThat(five.at("/candles/0/close").asText()).isEqualTo("1.150000000000000000");
    assertThat(five.at("/candles/0/leverage").asText()).isEqualTo("2.739130434782608696");
    assertThat(get(u + "/funds/BTC3L/nav?interval=2m").status()).isEqualTo(400);

    JsonNode instances = get(u + "/instances").body();
    assertThat(instances.get("instances")).hasSize(1);
    assertThat(instances.at("/instances/0/self").asBoolean()).isTrue();
    assertThat(instances.at("/instances/0/stores/fund-books/active").toString()).isEqualTo("[0,1]");

    // Premium/discount: none before the token's first market price, then against NAV 1.15.
    assertThat(get(u + "/funds/BTC3L/premium").status()).isEqualTo(204);
    assertThat(get(u + "/funds/NOPE/premium").status()).isEqualTo(404);
    produceTokenPrices(t, List.of(new TokenPrice("BTC3L", dec("1.2075"), T0.plusSeconds(60)),
        // a later one, past the join's grace period, releases the first
        new TokenPrice("BTC3L", dec("1.15"), T0.plusSeconds(600))));
    JsonNode premium = awaitStatus(u + "/funds/BTC3L/premium", 200, b -> true).body();
    assertThat(premium.get("premium").asText()).isEqualTo("0.050000000000000000");
    assertThat(premium.get("nav").asText()).isEqualTo("1.150000000000000000");
    assertThat(premium.get("alert").asBoolean()).as("not above the default 0.05").isFalse();

    assertThat(get(u + "/health").status()).isEqualTo(200);
    Reply metrics = get(u + "/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.raw().body())
        .contains("kafka_stream_navstream_ticks_total")
        .contains("kafka_stream_navstream_nav_updates_total")
        .contains("kafka_stream_navstream_rebalances_inception_total")
        .contains("kafka_stream_thread_")
        .contains("navstream_overdue_funds 3.0")
        .contains("navstream_fund_overdue_seconds{fund=\"BTC3L\"}")
        .contains("kafka_stream_navstream_price_to_nav_latency_avg")
        .contains("kafka_stream_navstream_price_to_nav_latency_max");
    // The lag from a tick's eventTime to its NAV output: one record per tick that valued funds.
    assertThat(metricSum(metrics.raw().body(), "kafka_stream_navstream_price_to_nav_total"))
        .isGreaterThanOrEqualTo(4.0);

    Reply unknown = get(u + "/funds/NOPE");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().get("error").asText()).contains("NOPE");
    assertThat(unknown.body().get("status").asInt()).isEqualTo(404);
    assertThat(get(u + "/no-such-endpoint").body().get("status").asInt()).isEqualTo(404);

    // Operator actions: refused without the token, accepted with it, and on the topic.
    Reply noToken = post(u + "/funds/BTC3L/pause", null);
    assertThat(noToken.status()).isEqualTo(401);
    assertThat(noToken.body().get("error").asText()).contains("bearer");
    assertThat(post(u + "/funds/BTC3L/pause", "wrong").status()).isEqualTo(403);
    assertThat(post(u + "/funds/NOPE/rebalance", TOKEN).status()).isEqualTo(404);
    Reply accepted = post(u + "/funds/BTC3L/rebalance", TOKEN);
    assertThat(accepted.status()).isEqualTo(202);
    String commandId = accepted.body().get("commandId").asText();
    FundCommand landed = readCommand(t, commandId);
    assertThat(landed.getFundId()).isEqualTo("BTC3L");
    assertThat(landed.getType().name()).isEqualTo("REBALANCE");
    assertThat(landed.getRequestedBy()).isEqualTo("it-test");

    // ... and through the topology: a MANUAL instruction at the last price (105).
    JsonNode manual = awaitStatus(u + "/funds/BTC3L/rebalances", 200,
        b -> "MANUAL".equals(b.at("/rebalances/0/reason").asText())).body();
    assertThat(manual.at("/rebalances/0/price").asText()).isEqualTo("105.000000000000000000");
    assertThat(manual.get("rebalances").findValuesAsText("reason")).containsExactly("MANUAL", "INCEPTION");
    assertThat(get(u + "/funds/BTC3L").body().at("/book/rebalanceSequence").asLong()).isEqualTo(2);

    // Pause: the book says so, and a fall through the threshold (105 × 0.85 = 89.25) and out of
    // the band trades nothing while NAV follows the price.
    assertThat(post(u + "/funds/BTC3L/pause", TOKEN).status()).isEqualTo(202);
    awaitStatus(u + "/funds/BTC3L", 200, b -> b.get("rebalancesPaused").asBoolean());
    produce(t, List.of(), List.of(new PriceTick("BTC-USDT", dec("85"), T0.plusSeconds(180))));
    JsonNode paused = awaitStatus(u + "/funds/BTC3L", 200,
        b -> "85.000000000000000000".equals(b.at("/live/price").asText())).body();
    assertThat(paused.get("rebalancesPaused").asBoolean()).isTrue();
    assertThat(paused.at("/book/rebalanceSequence").asLong()).as("no rebalance while paused").isEqualTo(2);
    assertThat(get(u + "/funds/BTC3L/rebalances").body().at("/rebalances/0/reason").asText()).isEqualTo("MANUAL");
    assertThat(post(u + "/funds/BTC3L/resume", null).status()).isEqualTo(401);
    assertThat(post(u + "/funds/BTC3L/resume", "wrong").status()).isEqualTo(403);

    // Resume: the next tick re-evaluates the triggers and the threshold fires.
    assertThat(post(u + "/funds/BTC3L/resume", TOKEN).status()).isEqualTo(202);
    awaitStatus(u + "/funds/BTC3L", 200, b -> !b.get("rebalancesPaused").asBoolean());
    produce(t, List.of(), List.of(new PriceTick("BTC-USDT", dec("85"), T0.plusSeconds(240))));
    JsonNode resumed = awaitStatus(u + "/funds/BTC3L/rebalances", 200,
        b -> "THRESHOLD".equals(b.at("/rebalances/0/reason").asText())).body();
    assertThat(resumed.get("rebalances").findValuesAsText("reason"))
        .containsExactly("THRESHOLD", "MANUAL", "INCEPTION");
  }

  /** The sum of a Prometheus metric's samples (one per task). */
  private static double metricSum(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  private FundCommand readCommand(Topics t, String commandId) {
    String topic = t.fundCommands().name();
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      FundCommand[] found = new FundCommand[1];
      SharedStack.await(Duration.ofSeconds(30), () -> {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          FundCommand fc = t.fundCommands().valueSerde().deserializer().deserialize(topic, r.value());
          if (fc.getCommandId().equals(commandId)) {
            found[0] = fc;
          }
        }
        return found[0] != null;
      }, () -> "command " + commandId + " on " + topic);
      return found[0];
    }
  }

  @Test
  void twoInstancesAnswerForEveryFundAndFailOver() throws Exception {
    TopicNames names = topics("api2");
    Topics t = new Topics(names, serdes);
    String appId = "api2-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> extra = Map.of(ConfigKeys.NUM_STANDBY_REPLICAS, "1");
    ApiInstance a = startInstance(config(appId, names, 4, extra));
    ApiInstance b = startInstance(config(appId, names, 4, extra));
    List<String> symbols = List.of("BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "ADA-USDT", "DOT-USDT");
    List<FundDefinition> funds = new ArrayList<>();
    List<PriceTick> ticks = new ArrayList<>();
    for (String s : symbols) {
      funds.add(fund(s.substring(0, 3) + "3L", s, Direction.LONG));
      ticks.add(new PriceTick(s, dec("100"), T0));
    }
    produce(t, funds, ticks);
    Set<String> ids = new HashSet<>(funds.stream().map(FundDefinition::getFundId).toList());

    for (ApiInstance i : List.of(a, b)) {
      awaitStatus(i.url() + "/funds", 200, body -> body.get("funds").size() == ids.size()
          && body.get("unreachable").isEmpty());
    }
    // Both own some funds: each serves a share of them as the active replica.
    JsonNode all = get(a.url() + "/funds").body().get("funds");
    Set<String> servers = new HashSet<>(all.findValuesAsText("instance"));
    assertThat(servers).containsExactlyInAnyOrder(
        a.url().substring("http://".length()), b.url().substring("http://".length()));
    for (String id : ids) {
      for (ApiInstance i : List.of(a, b)) {
        Reply r = awaitStatus(i.url() + "/funds/" + id, 200, body -> true);
        assertThat(r.body().get("fundId").asText()).isEqualTo(id);
      }
    }
    assertThat(get(a.url() + "/instances").body().get("instances")).hasSize(2);
    // No token configured here: operator actions are disabled.
    Reply disabled = post(a.url() + "/funds/BTC3L/pause", "anything");
    assertThat(disabled.status()).isEqualTo(403);
    assertThat(disabled.body().get("error").asText()).contains("operator actions are disabled");

    b.close();
    open.remove(b);
    String selfA = a.url().substring("http://".length());
    Set<Integer> seen = new HashSet<>();
    SharedStack.await(TIMEOUT, () -> {
      boolean allActive = true;
      for (String id : ids) {
        Reply r = get(a.url() + "/funds/" + id);
        seen.add(r.status());
        if (r.status() == 503) {
          assertThat(r.raw().headers().firstValue("Retry-After")).contains("1");
          allActive = false;
        } else {
          assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
          assertThat(r.body().at("/servedBy/instance").asText()).isEqualTo(selfA);
          allActive &= !r.body().at("/servedBy/standby").asBoolean();
        }
      }
      return allActive && a.app().state() == KafkaStreams.State.RUNNING;
    }, () -> "instance A answers for every fund as the active replica; statuses seen " + seen);
    assertThat(get(a.url() + "/funds").body().get("funds")).hasSize(ids.size());
  }

  /**
   * With a standby and an owner that stops without leaving the group (a static member, whose
   * session has not expired yet), the survivor answers from its standby at once, and says so with
   * its lag; once the group rebalances it answers as the active replica.
   */
  @Test
  void aStandbyAnswersBeforeTheGroupRebalancesAndSaysSo() throws Exception {
    TopicNames names = topics("api3");
    Topics t = new Topics(names, serdes);
    String appId = "api3-" + UUID.randomUUID().toString().substring(0, 8);
    ApiInstance a = startInstance(config(appId, names, 4, Map.of(ConfigKeys.NUM_STANDBY_REPLICAS, "1")));
    // B is a static member with a long session: its close leaves the group untouched for 20 s.
    ApiInstance b = startInstance(config(appId, names, 4, Map.of(ConfigKeys.NUM_STANDBY_REPLICAS, "1",
        ConfigKeys.KAFKA_PREFIX + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, appId + "-b",
        ConfigKeys.KAFKA_PREFIX + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "20000")));
    List<FundDefinition> funds = new ArrayList<>();
    List<PriceTick> ticks = new ArrayList<>();
    for (String s : List.of("BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "ADA-USDT", "DOT-USDT")) {
      funds.add(fund(s.substring(0, 3) + "3L", s, Direction.LONG));
      ticks.add(new PriceTick(s, dec("100"), T0));
    }
    produce(t, funds, ticks);
    String selfB = b.url().substring("http://".length());
    Set<String> ownedByB = new HashSet<>();
    SharedStack.await(TIMEOUT, () -> {
      ownedByB.clear();
      Reply r = get(b.url() + "/funds");
      if (r.status() != 200 || r.body().get("funds").size() != funds.size()) {
        return false;
      }
      for (JsonNode f : r.body().get("funds")) {
        if (selfB.equals(f.at("/servedBy/instance").asText())) {
          ownedByB.add(f.get("fundId").asText());
        }
      }
      return !ownedByB.isEmpty();
    }, () -> "B owns some of the funds");
    // A holds an up-to-date standby of every fund B owns (asked for its replica directly).
    for (String id : ownedByB) {
      Reply[] last = new Reply[1];
      SharedStack.await(TIMEOUT, () -> {
        last[0] = call(HttpRequest.newBuilder(URI.create(a.url() + "/funds/" + id))
            .header(OperatorApi.ROUTE_HEADER, "standby").GET().build());
        return last[0].status() == 200 && last[0].body().at("/live/price").asText().startsWith("100");
      }, () -> "A's standby of " + id + "; last " + last[0].status() + " " + last[0].raw().body()
          + "; instances " + get(a.url() + "/instances").raw().body());
    }

    b.close(); // remains in the group (static member): no rebalance until its session expires
    open.remove(b);
    String selfA = a.url().substring("http://".length());
    for (String id : ownedByB) {
      Reply r = get(a.url() + "/funds/" + id);
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
      assertThat(r.body().at("/servedBy/instance").asText()).isEqualTo(selfA);
      assertThat(r.body().at("/servedBy/standby").asBoolean()).as(id + " from a standby").isTrue();
      assertThat(r.body().at("/servedBy/lagOffsets").isIntegralNumber()).as(r.raw().body()).isTrue();
      assertThat(r.body().at("/servedBy/lagOffsets").asLong()).isGreaterThanOrEqualTo(0);
      assertThat(r.body().at("/live/price").asText()).isEqualTo("100.000000000000000000");
    }
    assertThat(a.app().state()).as("the group has not rebalanced yet").isEqualTo(KafkaStreams.State.RUNNING);

    // B's session expires, the group rebalances, and A serves every fund as the active replica.
    SharedStack.await(TIMEOUT, () -> {
      for (String id : ownedByB) {
        Reply r = get(a.url() + "/funds/" + id);
        if (r.status() != 200 || r.body().at("/servedBy/standby").asBoolean()) {
          return false;
        }
      }
      return true;
    }, () -> "A answers for B's funds as the active replica");
  }
}
