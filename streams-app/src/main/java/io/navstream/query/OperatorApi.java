package io.navstream.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.navstream.app.NavstreamApp;
import io.navstream.avro.FundCommand;
import io.navstream.avro.FundCommandType;
import io.navstream.avro.FundState;
import io.navstream.avro.NavCandle;
import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.internal.FundRegistration;
import io.navstream.avro.internal.RecentRebalances;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.SchemaRegistries;
import io.navstream.serde.SchemaRegistry;
import io.navstream.topology.FundViews;
import io.navstream.topology.FundViews.FundView;
import io.navstream.topology.StoreNames;
import io.navstream.topology.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * navstream's operator HTTP API (Javalin): fund queries over IQv2, routed to the instance that
 * owns the fund (or a standby when the owner is down), health, readiness, Prometheus metrics, and
 * operator actions written to {@code fund-commands}.
 *
 * <p>Start order: {@link #start} binds the port first (so port 0 resolves), {@link
 * #withApplicationServer} gives the configuration Kafka Streams needs to advertise it, and {@link
 * #attach} connects the running app.
 */
public final class OperatorApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorApi.class);
  /** Set on a forwarded request: "active" or "standby"; the receiver answers from its own stores. */
  static final String ROUTE_HEADER = "X-Navstream-Route";
  static final String REQUESTED_BY_HEADER = "X-Requested-By";
  /** Set on a forwarded fund query: the fund's underlying, so the receiver needs no registry lookup. */
  static final String UNDERLYING_HEADER = "X-Navstream-Underlying";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_REBALANCES = 100;
  /** Where the built dashboard sits on the classpath. */
  private static final String DASHBOARD = "/dashboard";

  private final NavstreamConfig config;
  private final Javalin server;
  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  private final ApiMetrics metrics = new ApiMetrics();
  /** fundId → underlying; a fund never changes underlying, so an entry never goes stale. */
  private final Map<String, String> underlyings = new ConcurrentHashMap<>();
  private final HostInfo self;

  private volatile NavstreamApp app;
  private volatile LocalStores stores;
  private volatile CommandPublisher commands;
  private SchemaRegistry registryClient;

  private OperatorApi(NavstreamConfig config) {
    this.config = config;
    this.server = Javalin.create(c -> {
      c.showJavalinBanner = false;
      c.jsonMapper(new JavalinJackson(mapper, false));
      c.http.defaultContentType = "application/json";
      // The dashboard, built into the jar under /dashboard (absent when the build skipped npm).
      if (OperatorApi.class.getResource(DASHBOARD + "/index.html") != null) {
        c.staticFiles.add(files -> {
          files.hostedPath = DASHBOARD; // the page's assets are built for this base
          files.directory = DASHBOARD;
          files.location = Location.CLASSPATH;
        });
      }
    });
    routes();
    server.start(config.httpHost(), config.httpPort());
    this.self = new HostInfo(config.httpAdvertisedHost(), server.port());
    log.info("Operator API listening on {}:{} (advertised as {})", config.httpHost(), server.port(),
        self.host() + ":" + self.port());
  }

  /** Binds the HTTP port. Queries answer 503 until {@link #attach}. */
  public static OperatorApi start(NavstreamConfig config) {
    return new OperatorApi(config);
  }

  /** The actual port (resolved when {@code http.port} is 0). */
  public int port() {
    return server.port();
  }

  /** {@code http://<advertised host>:<port>}. */
  public String url() {
    return "http://" + self.host() + ":" + self.port();
  }

  /** {@code config} with Kafka Streams' {@code application.server} set to this API. */
  public NavstreamConfig withApplicationServer(NavstreamConfig base) {
    return base.withOverrides("http", Map.of(
        ConfigKeys.KAFKA_PREFIX + "application.server", self.host() + ":" + self.port()));
  }

  /** Connects the app: queries, metrics and (with a token) operator actions start answering. */
  public synchronized void attach(NavstreamApp navstream) {
    this.stores = new LocalStores(navstream.streams());
    metrics.bind(navstream.streams());
    if (config.httpAuthToken().isPresent()) {
      registryClient = SchemaRegistries.connect(config.registrySettings());
      Topics topics = new Topics(config.topicNames(),
          new AvroSerdes(registryClient, config.registrySettings().autoRegister()));
      commands = new CommandPublisher(config, topics);
    }
    this.app = navstream;
  }

  @Override
  public synchronized void close() {
    server.stop();
    if (commands != null) {
      commands.close();
    }
    if (registryClient != null) {
      registryClient.close();
    }
    metrics.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Routes

  private void routes() {
    server.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage(), e.retry()));
    server.exception(Exception.class, (e, ctx) -> {
      log.warn("{} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, e.toString(), false);
    });
    server.error(404, ctx -> {
      if (ctx.resultInputStream() == null) {
        error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(), false);
      }
    });
    server.error(405, ctx -> error(ctx, 405, "method not allowed", false));

    server.get("/", ctx -> {
      if (OperatorApi.class.getResource(DASHBOARD + "/index.html") == null) {
        error(ctx, 404, "the dashboard was not built into this jar (a build with"
            + " -Dnavstream.frontend.skip leaves it out)", false);
      } else {
        ctx.redirect(DASHBOARD + "/");
      }
    });
    server.get("/health", this::health);
    server.get("/ready", this::ready);
    server.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(metrics.scrape(overdueLocal())));
    server.get("/instances", ctx -> { authorizeRead(ctx); ctx.json(instances()); });
    server.get("/funds", ctx -> { authorizeRead(ctx); ctx.json(allFunds(ctx)); });
    server.get("/funds/{id}", ctx -> fund(ctx, this::detail));
    server.get("/funds/{id}/rebalances", ctx -> fund(ctx, this::rebalances));
    server.get("/funds/{id}/nav", ctx -> fund(ctx, this::candles));
    server.get("/funds/{id}/premium", this::premium);
    server.post("/funds/{id}/rebalance", ctx -> command(ctx, FundCommandType.REBALANCE));
    server.post("/funds/{id}/pause", ctx -> command(ctx, FundCommandType.PAUSE));
    server.post("/funds/{id}/resume", ctx -> command(ctx, FundCommandType.RESUME));
    server.get("/internal/funds", ctx -> {
      authorizeRead(ctx);
      ctx.json(Map.of("funds", localFunds("true".equals(ctx.queryParam("standby")))));
    });
    server.get("/internal/registry/{id}", ctx -> {
      authorizeRead(ctx);
      ctx.json(localRegistration(ctx.pathParam("id"), !"true".equals(ctx.queryParam("standby"))));
    });
  }

  private static void error(Context ctx, int status, String message, boolean retry) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    if (retry) {
      ctx.header("Retry-After", "1");
    }
    ctx.status(status).json(body);
  }

  // ---------------------------------------------------------------------------------------------
  // Auth

  private void authorizeRead(Context ctx) {
    if (config.httpAuthReads()) {
      authorize(ctx);
    }
  }

  private void authorize(Context ctx) {
    Optional<String> token = config.httpAuthToken();
    if (token.isEmpty()) {
      throw new ApiException(403, "operator actions are disabled: no " + ConfigKeys.HTTP_AUTH_TOKEN
          + " is configured");
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(401, "missing bearer token (Authorization: Bearer <token>)");
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(403, "invalid bearer token");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Health

  private void health(Context ctx) {
    NavstreamApp a = app;
    State state = a == null ? null : a.state();
    boolean alive = state != State.ERROR && state != State.PENDING_ERROR;
    ctx.status(alive ? 200 : 503).json(Map.of(
        "status", alive ? "UP" : "DOWN", "streams", state == null ? "STARTING" : state.name()));
  }

  private void ready(Context ctx) {
    NavstreamApp a = app;
    State state = a == null ? null : a.state();
    boolean ready = state == State.RUNNING && stores.queryable();
    if (!ready) {
      ctx.header("Retry-After", "1");
    }
    ctx.status(ready ? 200 : 503).json(Map.of(
        "ready", ready, "streams", state == null ? "STARTING" : state.name()));
  }

  // ---------------------------------------------------------------------------------------------
  // Routing

  private KafkaStreams streams() {
    NavstreamApp a = app;
    if (a == null) {
      throw ApiException.unavailable("navstream is starting");
    }
    return a.streams();
  }

  private KafkaStreams running() {
    KafkaStreams s = streams();
    State state = s.state();
    if (state == State.REBALANCING || state == State.CREATED) {
      throw ApiException.unavailable("navstream is " + state + "; retry shortly");
    }
    if (state != State.RUNNING) {
      throw ApiException.unavailable("navstream is " + state);
    }
    return s;
  }

  /** Maps a fund to its underlying's partition, as the repartition topic's default partitioner does. */
  static StreamPartitioner<String, Object> underlyingPartitioner(String underlying) {
    byte[] bytes = underlying.getBytes(StandardCharsets.UTF_8);
    return (topic, key, value, partitions) ->
        Optional.of(Set.of(Utils.toPositive(Utils.murmur2(bytes)) % partitions));
  }

  private Map<String, Object> localRegistration(String fundId, boolean active) {
    KeyQueryMetadata md = streams().queryMetadataForKey(
        StoreNames.FUND_REGISTRY, fundId, Serdes.String().serializer());
    if (md == null || KeyQueryMetadata.NOT_AVAILABLE.equals(md)) {
      throw ApiException.unavailable("fund-registry metadata is not available (rebalancing)");
    }
    FundRegistration r = stores.registration(fundId, md.partition(), active);
    if (r == null) {
      throw ApiException.notFound("unknown fund '" + fundId + "'");
    }
    return Map.of("fundId", r.getFundId(), "underlying", r.getUnderlying(), "retired", r.getRetired());
  }

  /** The fund's underlying, from the cache or {@code fund-registry} (local or on its owner). */
  private String underlyingOf(String fundId, Context ctx) {
    String cached = underlyings.get(fundId);
    if (cached != null) {
      return cached;
    }
    String forwarded = ctx.header(UNDERLYING_HEADER);
    if (ctx.header(ROUTE_HEADER) != null && forwarded != null && !forwarded.isBlank()) {
      // Forwarded by an instance that looked it up; not cached, since it is only the sender's word.
      return forwarded;
    }
    KafkaStreams s = streams();
    KeyQueryMetadata md = s.queryMetadataForKey(
        StoreNames.FUND_REGISTRY, fundId, Serdes.String().serializer());
    if (md == null || KeyQueryMetadata.NOT_AVAILABLE.equals(md)) {
      throw ApiException.unavailable("fund-registry metadata is not available (rebalancing)");
    }
    String underlying;
    String route = ctx.header(ROUTE_HEADER);
    if (route != null || self.equals(md.activeHost())) {
      // A request routed to a standby may read the registry's standby too.
      underlying = (String) localRegistration(fundId, !"standby".equals(route)).get("underlying");
    } else {
      Remote r = get(md.activeHost(), "/internal/registry/" + fundId, ctx, "active");
      if (r == null && md.standbyHosts().contains(self)) {
        underlying = (String) localRegistration(fundId, false).get("underlying");
      } else if (r == null) {
        throw new ApiException(502, "instance " + hostText(md.activeHost()) + " is unreachable");
      } else if (r.status() != 200) {
        throw new ApiException(r.status(), r.message(mapper));
      } else {
        underlying = r.json(mapper).get("underlying").toString();
      }
    }
    underlyings.put(fundId, underlying);
    return underlying;
  }

  /**
   * Answers a fund query where the fund's book lives: here (IQv2), on its active owner (forwarded),
   * or, when the owner is unreachable or this instance is rebalancing, on a standby (flagged).
   */
  private void fund(Context ctx, Query query) {
    authorizeRead(ctx);
    String fundId = ctx.pathParam("id");
    String route = ctx.header(ROUTE_HEADER);
    KafkaStreams s = streams();
    String underlying = underlyingOf(fundId, ctx);
    KeyQueryMetadata md =
        s.queryMetadataForKey(StoreNames.FUND_BOOKS, fundId, underlyingPartitioner(underlying));
    if (md == null || KeyQueryMetadata.NOT_AVAILABLE.equals(md)) {
      throw ApiException.unavailable("fund-books metadata is not available (rebalancing)");
    }
    int p = md.partition();
    if (route != null) { // forwarded to us: answer from our own replica, never forward again
      answer(ctx, query, fundId, underlying, p, "active".equals(route));
      return;
    }
    State state = s.state();
    boolean selfStandby = md.standbyHosts().contains(self);
    if (state != State.RUNNING) {
      if (state == State.REBALANCING && selfStandby) {
        answer(ctx, query, fundId, underlying, p, false);
        return;
      }
      throw ApiException.unavailable("navstream is " + state + "; retry shortly");
    }
    if (self.equals(md.activeHost())) {
      try {
        answer(ctx, query, fundId, underlying, p, true);
      } catch (ApiException e) {
        if (e.retry() && selfStandby) {
          answer(ctx, query, fundId, underlying, p, false);
        } else {
          throw e;
        }
      }
      return;
    }
    Remote r = forward(md.activeHost(), ctx, "active", underlying);
    if (r != null) {
      relay(ctx, r);
      return;
    }
    // The owner is unreachable: a standby answers, saying so.
    if (selfStandby) {
      answer(ctx, query, fundId, underlying, p, false);
      return;
    }
    for (HostInfo standby : md.standbyHosts()) {
      Remote sr = forward(standby, ctx, "standby", underlying);
      if (sr != null) {
        relay(ctx, sr);
        return;
      }
    }
    throw new ApiException(502, "the owner of fund '" + fundId + "', " + hostText(md.activeHost())
        + ", is unreachable and no standby answered");
  }

  @FunctionalInterface
  private interface Query {
    Object run(Context ctx, String fundId, String underlying, int partition, boolean active);
  }

  private void answer(Context ctx, Query query, String fundId, String underlying, int p, boolean active) {
    Object body = query.run(ctx, fundId, underlying, p, active);
    Map<String, Object> out = new LinkedHashMap<>();
    if (body instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put((String) k, v));
    }
    out.put("servedBy", servedBy(p, active));
    ctx.json(out);
  }

  private Map<String, Object> servedBy(int partition, boolean active) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instance", hostText(self));
    m.put("standby", !active);
    m.put("lagOffsets", stores.lag(partition));
    return m;
  }

  private static String hostText(HostInfo h) {
    return h.host() + ":" + h.port();
  }

  // ---------------------------------------------------------------------------------------------
  // Fund queries (local)

  private FundView view(String fundId, String underlying, int p, boolean active) {
    FundState state = stores.fund(fundId, p, active);
    if (state == null) {
      throw ApiException.notFound("fund '" + fundId + "' has no book yet");
    }
    return FundViews.view(state, stores.mark(underlying, p, active));
  }

  private Object detail(Context ctx, String fundId, String underlying, int p, boolean active) {
    return Json.detail(view(fundId, underlying, p, active), Instant.now(), config.overdueAfter());
  }

  private Object rebalances(Context ctx, String fundId, String underlying, int p, boolean active) {
    int limit = intParam(ctx, "limit", 20);
    if (limit < 1 || limit > MAX_REBALANCES) {
      throw ApiException.badRequest("limit must be between 1 and " + MAX_REBALANCES);
    }
    view(fundId, underlying, p, active); // 404 before inception of a book
    RecentRebalances recent = stores.rebalances(fundId, p, active);
    List<Map<String, Object>> out = new ArrayList<>();
    if (recent != null) {
      for (RebalanceInstruction r : recent.getInstructions()) {
        if (out.size() == limit) {
          break;
        }
        out.add(Json.instruction(r));
      }
    }
    return Map.of("fundId", fundId, "rebalances", out);
  }

  private Object candles(Context ctx, String fundId, String underlying, int p, boolean active) {
    Duration interval = Candles.interval(ctx.queryParam("interval"));
    Instant from = instantParam(ctx, "from", Instant.EPOCH);
    Instant to = instantParam(ctx, "to", Instant.ofEpochMilli(Long.MAX_VALUE / 2));
    if (to.isBefore(from)) {
      throw ApiException.badRequest("to is before from");
    }
    view(fundId, underlying, p, active);
    // Minute windows that start in [from - interval, to], so a larger bucket is complete.
    List<NavCandle> minutes = stores.candles(fundId, from, to, p, active);
    List<Map<String, Object>> out = Candles.aggregate(minutes, interval).stream()
        .map(Json::candle).toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fundId", fundId);
    m.put("interval", ctx.queryParam("interval") == null ? "1m" : ctx.queryParam("interval"));
    m.put("candles", out);
    return m;
  }

  private static int intParam(Context ctx, String name, int dflt) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be an integer, not '" + v + "'");
    }
  }

  private static Instant instantParam(Context ctx, String name, Instant dflt) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      return v.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(v)) : Instant.parse(v);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw ApiException.badRequest(name + " must be ISO-8601 or epoch milliseconds, not '" + v + "'");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Listings

  /** The funds of this instance's active (or, with {@code standby}, standby) partitions. */
  private List<Map<String, Object>> localFunds(boolean standby) {
    running();
    Instant now = Instant.now();
    List<Map<String, Object>> out = new ArrayList<>();
    for (LocalStores.PartitionBooks pb : stores.books(!standby)) {
      for (FundState f : pb.funds()) {
        underlyings.putIfAbsent(f.getFundId(), f.getUnderlying());
        Map<String, Object> row = Json.summary(
            FundViews.view(f, pb.marks().get(f.getUnderlying())), now, config.overdueAfter());
        row.put("servedBy", servedBy(pb.partition(), !standby));
        out.add(row);
      }
    }
    return out;
  }

  private Map<String, Long> overdueLocal() {
    Map<String, Long> out = new TreeMap<>();
    NavstreamApp a = app;
    if (a == null || a.state() != State.RUNNING) {
      return out;
    }
    try {
      Instant now = Instant.now();
      for (LocalStores.PartitionBooks pb : stores.books(true)) {
        for (FundState f : pb.funds()) {
          long s = Json.overdueSeconds(
              FundViews.view(f, pb.marks().get(f.getUnderlying())), now, config.overdueAfter());
          if (s >= 0) {
            out.put(f.getFundId(), s);
          }
        }
      }
    } catch (RuntimeException e) {
      log.debug("overdue gauges not refreshed", e);
    }
    return out;
  }

  /** Every fund on every instance; a standby answers for an unreachable instance. */
  private Map<String, Object> allFunds(Context ctx) {
    KafkaStreams s = running();
    Collection<StreamsMetadata> instances = s.metadataForAllStreamsClients();
    Map<String, Map<String, Object>> funds = new TreeMap<>();
    List<String> unreachable = new ArrayList<>();
    List<HostInfo> reachable = new ArrayList<>();
    Map<HostInfo, CompletableFuture<Remote>> pending = new LinkedHashMap<>();
    for (StreamsMetadata m : instances) {
      if (!self.equals(m.hostInfo())) {
        pending.put(m.hostInfo(), getAsync(m.hostInfo(), "/internal/funds", ctx));
      }
    }
    localFunds(false).forEach(f -> funds.put((String) f.get("fundId"), f));
    reachable.add(self);
    for (Map.Entry<HostInfo, CompletableFuture<Remote>> e : pending.entrySet()) {
      Remote r = e.getValue().join();
      if (r == null) {
        unreachable.add(hostText(e.getKey()));
        continue;
      }
      if (r.status() != 200) {
        throw new ApiException(r.status(), hostText(e.getKey()) + ": " + r.message(mapper));
      }
      reachable.add(e.getKey());
      addFunds(funds, r, false);
    }
    if (!unreachable.isEmpty()) {
      for (HostInfo h : reachable) {
        if (self.equals(h)) {
          localFunds(true).forEach(f -> funds.putIfAbsent((String) f.get("fundId"), f));
        } else {
          Remote r = get(h, "/internal/funds?standby=true", ctx, null);
          if (r != null && r.status() == 200) {
            addFunds(funds, r, true);
          }
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("funds", new ArrayList<>(funds.values()));
    out.put("unreachable", unreachable);
    return out;
  }

  @SuppressWarnings("unchecked")
  private void addFunds(Map<String, Map<String, Object>> funds, Remote r, boolean onlyMissing) {
    List<Map<String, Object>> list = (List<Map<String, Object>>) r.json(mapper).get("funds");
    for (Map<String, Object> f : list) {
      if (onlyMissing) {
        funds.putIfAbsent((String) f.get("fundId"), f);
      } else {
        funds.put((String) f.get("fundId"), f);
      }
    }
  }

  private Map<String, Object> instances() {
    KafkaStreams s = streams();
    String bookTopic = config.topicNames().prices();
    String registryTopic = config.topicNames().fundDefinitions();
    List<Map<String, Object>> out = new ArrayList<>();
    for (StreamsMetadata m : s.metadataForAllStreamsClients()) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("instance", hostText(m.hostInfo()));
      i.put("self", self.equals(m.hostInfo()));
      Map<String, Object> stores = new TreeMap<>();
      for (String store : List.of(StoreNames.FUND_REGISTRY, StoreNames.FUND_BOOKS,
          StoreNames.UNDERLYING_MARKS, StoreNames.RECENT_REBALANCES, StoreNames.NAV_CANDLES)) {
        String topic = store.equals(StoreNames.FUND_REGISTRY) ? registryTopic : bookTopic;
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("active", partitions(m.topicPartitions(), topic));
        parts.put("standby", partitions(m.standbyTopicPartitions(), topic));
        stores.put(store, parts);
      }
      i.put("stores", stores);
      out.add(i);
    }
    out.sort((a, b) -> ((String) a.get("instance")).compareTo((String) b.get("instance")));
    return Map.of("state", s.state().name(), "instances", out);
  }

  private static List<Integer> partitions(
      Set<org.apache.kafka.common.TopicPartition> tps, String topic) {
    return tps.stream().filter(tp -> tp.topic().equals(topic))
        .map(org.apache.kafka.common.TopicPartition::partition).sorted().toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Operator actions

  private void command(Context ctx, FundCommandType type) {
    authorize(ctx);
    String fundId = ctx.pathParam("id");
    underlyingOf(fundId, ctx); // 404 for an unknown fund
    CommandPublisher publisher = commands;
    if (publisher == null) {
      throw ApiException.unavailable("navstream is starting");
    }
    String by = Optional.ofNullable(ctx.header(REQUESTED_BY_HEADER)).filter(v -> !v.isBlank())
        .orElse("operator");
    FundCommand c = publisher.send(fundId, type, by);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("commandId", c.getCommandId());
    body.put("fundId", fundId);
    body.put("type", type.name());
    body.put("requestedBy", by);
    body.put("eventTime", c.getEventTime().toString());
    ctx.status(202).json(body);
  }

  // ---------------------------------------------------------------------------------------------
  // Remote calls

  /** A remote answer, or null when the instance was unreachable. */
  record Remote(int status, String body, Optional<String> retryAfter, Optional<String> contentType) {
    @SuppressWarnings("unchecked")
    Map<String, Object> json(ObjectMapper mapper) {
      try {
        return mapper.readValue(body, Map.class);
      } catch (IOException e) {
        throw new ApiException(502, "unreadable answer from another instance: " + e.getMessage());
      }
    }

    String message(ObjectMapper mapper) {
      try {
        Object error = json(mapper).get("error");
        return error == null ? body : error.toString();
      } catch (ApiException e) {
        return body;
      }
    }
  }

  /**
   * The fund's latest premium/discount, from {@code latest-premiums}: partitioned by fundId (as
   * token-prices is), so answered by that partition's active owner. 404 for an unknown fund; 204
   * (no body) until a token price of the fund has been joined, so that the dashboard can ask for
   * every fund without a failed request for each fund whose token has no market price.
   */
  private void premium(Context ctx) {
    authorizeRead(ctx);
    String fundId = ctx.pathParam("id");
    String underlying = underlyingOf(fundId, ctx); // 404 when the fund was never defined
    KeyQueryMetadata md = streams().queryMetadataForKey(
        StoreNames.LATEST_PREMIUMS, fundId, Serdes.String().serializer());
    if (md == null || KeyQueryMetadata.NOT_AVAILABLE.equals(md)) {
      throw ApiException.unavailable("latest-premiums metadata is not available (rebalancing)");
    }
    if (ctx.header(ROUTE_HEADER) == null && !self.equals(md.activeHost())) {
      Remote r = forward(md.activeHost(), ctx, "active", underlying);
      if (r == null) {
        throw new ApiException(502, "instance " + hostText(md.activeHost()) + " is unreachable");
      }
      relay(ctx, r);
      return;
    }
    PremiumDiscount p = stores.premium(fundId, md.partition());
    if (p == null) {
      ctx.status(204);
      return;
    }
    Map<String, Object> out = Json.premium(p);
    out.put("servedBy", servedBy(md.partition(), true));
    ctx.json(out);
  }

  private Remote forward(HostInfo host, Context ctx, String route, String underlying) {
    String path = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    try {
      return send(host, path, ctx, route, underlying).join();
    } catch (java.util.concurrent.CompletionException e) {
      return null;
    }
  }

  private Remote get(HostInfo host, String path, Context ctx, String route) {
    try {
      return send(host, path, ctx, route, null).join();
    } catch (java.util.concurrent.CompletionException e) {
      return null;
    }
  }

  private CompletableFuture<Remote> getAsync(HostInfo host, String path, Context ctx) {
    return send(host, path, ctx, null, null).exceptionally(e -> null);
  }

  private CompletableFuture<Remote> send(
      HostInfo host, String path, Context ctx, String route, String underlying) {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://" + host.host() + ":" + host.port() + path))
        .timeout(REQUEST_TIMEOUT)
        .GET();
    if (route != null) {
      b.header(ROUTE_HEADER, route);
    }
    if (underlying != null) {
      b.header(UNDERLYING_HEADER, underlying);
    }
    String auth = ctx.header("Authorization");
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> new Remote(
        r.statusCode(), r.body(), r.headers().firstValue("Retry-After"),
        r.headers().firstValue("Content-Type")));
  }

  /** Relays a remote answer as it is: status, body and Retry-After. */
  private static void relay(Context ctx, Remote r) {
    r.retryAfter().ifPresent(v -> ctx.header("Retry-After", v));
    ctx.status(r.status()).contentType(r.contentType().orElse("application/json")).result(r.body());
  }

}
