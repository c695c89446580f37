package io.navstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import io.navstream.serde.FakeRegistryServer.Request;
import io.navstream.serde.FakeRegistryServer.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSchemaRegistryTest {
  private static final Schema PRICE_TICK = PriceTick.getClassSchema();

  private FakeRegistryServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  @BeforeEach
  void startServer() throws IOException {
    server = FakeRegistryServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close(); // also releases handlers that hang
    executor.shutdownNow();
  }

  /** Quick retries so that the tests do not wait. */
  private RegistrySettings settings() {
    return RegistrySettings.of(server.url())
        .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(4))
        .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));
  }

  @Test
  void registersAndFetchesSchemasWithTheConfluentProtocol() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    int id = registry.register("prices-value", PRICE_TICK);

    assertThat(id).isEqualTo(server.backing().lookup("prices-value", PRICE_TICK));
    Request request = server.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.rawPath()).isEqualTo("/subjects/prices-value/versions");
    assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(request.header("Accept"))
        .contains("application/vnd.schemaregistry.v1+json")
        .contains("application/json");
    assertThat(new Schema.Parser().parse(request.bodyField("schema"))).isEqualTo(PRICE_TICK);
    assertThat(request.header("Authorization")).as("no auth configured").isNull();

    HttpSchemaRegistry reader = new HttpSchemaRegistry(settings());
    assertThat(reader.schemaById(id)).isEqualTo(PRICE_TICK);
    assertThat(server.count("GET", "/schemas/ids/" + id)).isEqualTo(1);
  }

  @Test
  void sameSchemaUnderAnotherSubjectGetsTheSameId() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    int first = registry.register("prices-value", PRICE_TICK);
    int second = registry.register("prices-replay-value", PRICE_TICK);

    assertThat(second).isEqualTo(first);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void subjectsAreEncodedAsOnePathSegment() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    registry.register("odd topic/ä-value", PRICE_TICK);

    assertThat(server.requests().get(0).rawPath())
        .isEqualTo("/subjects/odd%20topic%2F%C3%A4-value/versions");
    assertThat(server.backing().subjects()).containsExactly("odd topic/ä-value");
  }

  @Test
  void aBaseUrlWithAPathSuchAsApicuriosIsKept() {
    server.respond(request -> new Response(200, "{\"id\": 12}"));
    HttpSchemaRegistry apicurio = new HttpSchemaRegistry(
        RegistrySettings.of(server.url() + "/apis/ccompat/v7/"));

    assertThat(apicurio.register("prices-value", PRICE_TICK)).isEqualTo(12);
    assertThat(server.requests().get(0).rawPath())
        .isEqualTo("/apis/ccompat/v7/subjects/prices-value/versions");
    assertThat(apicurio.describe()).isEqualTo(server.url() + "/apis/ccompat/v7");
  }

  @Test
  void aSubjectRegisteredConcurrentlyElsewhere409IsLookedUp() {
    server.respond(request -> request.rawPath().endsWith("/versions")
        ? Response.error(409, 409, "An artifact with ID 'prices-value' in group 'null' already exists.")
        : new Response(200, "{\"subject\": \"prices-value\", \"id\": 7, \"version\": 1}"));
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    assertThat(registry.register("prices-value", PRICE_TICK)).isEqualTo(7);
    assertThat(server.requests()).extracting(FakeRegistryServer.Request::rawPath)
        .containsExactly("/subjects/prices-value/versions", "/subjects/prices-value");
  }

  @Test
  void sendsTheExactBasicAuthHeader() {
    HttpSchemaRegistry registry =
        new HttpSchemaRegistry(settings().withBasicAuth("navstream:s3cret:with:colons"));

    registry.register("prices-value", PRICE_TICK);

    // Base64 of "navstream:s3cret:with:colons".
    assertThat(server.requests().get(0).header("Authorization"))
        .isEqualTo("Basic bmF2c3RyZWFtOnMzY3JldDp3aXRoOmNvbG9ucw==");
  }

  @Test
  void takesBasicAuthFromTheUrlButNeverShowsIt() {
    String url = server.url().replace("http://", "http://navstream:s3cret:with:colons@");
    HttpSchemaRegistry registry = new HttpSchemaRegistry(RegistrySettings.of(url));

    registry.register("prices-value", PRICE_TICK);

    assertThat(server.requests().get(0).header("Authorization"))
        .isEqualTo("Basic bmF2c3RyZWFtOnMzY3JldDp3aXRoOmNvbG9ucw==");
    assertThat(registry.describe()).isEqualTo(server.url());
    assertThat(RegistrySettings.of(url).toString()).doesNotContain("s3cret");
  }

  @Test
  void sendsTheBearerToken() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings().withBearerToken("tok-123.abc"));

    registry.schemaById(server.backing().register("prices-value", PRICE_TICK));

    assertThat(server.requests().get(0).header("Authorization")).isEqualTo("Bearer tok-123.abc");
  }

  @Test
  void retries503UntilTheRegistryAnswers() {
    AtomicInteger attempts = new AtomicInteger();
    server.respond(request ->
        attempts.incrementAndGet() <= 2 ? Response.error(503, 50301, "Leader not known") : null);
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    int id = registry.register("prices-value", PRICE_TICK);

    assertThat(attempts).hasValue(3);
    assertThat(id).isEqualTo(server.backing().lookup("prices-value", PRICE_TICK));
  }

  @Test
  void retries429() {
    AtomicInteger attempts = new AtomicInteger();
    server.respond(request ->
        attempts.incrementAndGet() == 1 ? Response.error(429, 42901, "Rate limit exceeded") : null);

    new HttpSchemaRegistry(settings()).register("prices-value", PRICE_TICK);

    assertThat(attempts).hasValue(2);
  }

  @Test
  void givesUpAfterMaxRetriesWithTheLastError() {
    server.respond(request -> Response.error(500, 50001, "Error in the backend datastore"));
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings()); // 3 retries

    assertThatThrownBy(() -> registry.register("prices-value", PRICE_TICK))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(500);
          assertThat(e.errorCode()).isEqualTo(50001);
        })
        .hasMessageContaining("Error in the backend datastore");
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void doesNotRetryAnIncompatibleSchemaAndSaysWhy() {
    server.respond(request -> Response.error(409, 409,
        "Schema being registered is incompatible with an earlier schema for subject \"prices-value\""));
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    assertThatThrownBy(() -> registry.register("prices-value", PRICE_TICK))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.errorCode()).isEqualTo(409);
        })
        .hasMessageStartingWith("Registering schema under subject 'prices-value' at " + server.url()
            + " failed: HTTP 409 (error 409): Schema being registered is incompatible");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void doesNotRetryAnInvalidSchema() {
    server.respond(request -> Response.error(422, 42201, "Either the input schema or one of its references is invalid"));
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    assertThatThrownBy(() -> registry.register("prices-value", PRICE_TICK))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("'prices-value'")
        .hasMessageContaining(server.url())
        .hasMessageContaining("HTTP 422 (error 42201): Either the input schema");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void aNonJsonErrorBodyIsShownAsText() {
    server.respond(request -> new Response(403, "<html><body>Forbidden by proxy</body></html>"));

    assertThatThrownBy(() -> new HttpSchemaRegistry(settings()).schemaById(3))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("Fetching schema id 3 at " + server.url())
        .hasMessageContaining("HTTP 403: <html><body>Forbidden by proxy</body></html>");
  }

  @Test
  void aRegistryThatNeverAnswersTimesOutAndIsRetried() {
    server.hang();
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings()
        .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(200))
        .withRetries(1, Duration.ofMillis(1), Duration.ofMillis(1)));

    assertThatThrownBy(() -> registry.register("prices-value", PRICE_TICK))
        .isInstanceOf(SchemaRegistryException.class)
        .hasCauseInstanceOf(HttpTimeoutException.class)
        .hasMessageContaining("'prices-value' at " + server.url())
        .hasMessageContaining("failed after 2 attempt(s)")
        .hasMessageContaining("request timeout of 200 ms");
  }

  @Test
  void anUnreachableRegistryIsRetriedThenReported() throws IOException {
    String deadUrl = "http://127.0.0.1:" + freePort();
    HttpSchemaRegistry registry = new HttpSchemaRegistry(new RegistrySettings(deadUrl, null, null,
        true, Duration.ofSeconds(2), Duration.ofSeconds(2), 2, Duration.ofMillis(1),
        Duration.ofMillis(2)));

    assertThatThrownBy(() -> registry.schemaById(5))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("Fetching schema id 5 at " + deadUrl)
        .hasMessageContaining("failed after 3 attempt(s)")
        .hasMessageContaining("cannot connect");
  }

  @Test
  void failsOverToTheNextUrl() throws IOException {
    String deadUrl = "http://127.0.0.1:" + freePort();
    HttpSchemaRegistry registry = new HttpSchemaRegistry(new RegistrySettings(
        deadUrl + " , " + server.url(), null, null, true, Duration.ofSeconds(2),
        Duration.ofSeconds(2), 1, Duration.ofMillis(1), Duration.ofMillis(1)));

    int id = registry.register("prices-value", PRICE_TICK);
    registry.register("fund-definitions-value", FundDefinition.getClassSchema());

    assertThat(id).isEqualTo(server.backing().lookup("prices-value", PRICE_TICK));
    assertThat(server.requests()).as("the live URL is kept after failing over").hasSize(2);
    assertThat(registry.describe()).isEqualTo(deadUrl + "," + server.url());
  }

  @Test
  void anInterruptStopsTheBackoffAndIsKept() throws Exception {
    CountDownLatch firstAttempt = new CountDownLatch(1);
    server.respond(request -> {
      firstAttempt.countDown();
      return Response.error(503, 50301, "unavailable");
    });
    HttpSchemaRegistry registry = new HttpSchemaRegistry(
        settings().withRetries(5, Duration.ofMinutes(1), Duration.ofMinutes(1)));
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        registry.register("prices-value", PRICE_TICK);
        outcome.complete(null);
      } catch (RuntimeException e) {
        outcome.complete(Thread.currentThread().isInterrupted()
            ? e : new AssertionError("the interrupt flag was cleared", e));
      }
    });
    caller.start();

    assertThat(firstAttempt.await(10, TimeUnit.SECONDS)).isTrue();
    caller.interrupt(); // the caller is about to back off for a minute

    assertThat(outcome.get(10, TimeUnit.SECONDS))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("Registering schema under subject 'prices-value'")
        .hasMessageContaining("interrupted");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void cachesIdsAndSchemasInBothDirections() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    int id = 0;
    for (int i = 0; i < 20; i++) {
      id = registry.register("prices-value", PRICE_TICK);
      assertThat(registry.lookup("prices-value", PRICE_TICK)).isEqualTo(id);
      assertThat(registry.schemaById(id)).isEqualTo(PRICE_TICK);
    }
    // An equal schema built separately hits the same cache entry.
    registry.register("prices-value", new Schema.Parser().parse(PRICE_TICK.toString()));

    assertThat(server.requests()).as("one registration, and the id -> schema learned from it")
        .hasSize(1);
  }

  @Test
  void concurrentFirstUseMakesOneCall() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    server.respond(request -> {
      arrived.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    List<Future<Integer>> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(executor.submit(() -> registry.register("prices-value", PRICE_TICK)));
    }
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();

    List<Integer> answers = new ArrayList<>();
    for (Future<Integer> id : ids) {
      answers.add(id.get(10, TimeUnit.SECONDS));
    }
    int registered = server.backing().lookup("prices-value", PRICE_TICK);
    assertThat(answers).hasSize(8).containsOnly(registered);
    assertThat(server.count("POST", "/subjects/prices-value/versions")).isEqualTo(1);
  }

  @Test
  void lookupOfAMissingSubjectSaysAutoRegistrationIsOff() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings().withAutoRegister(false));

    assertThatThrownBy(() -> registry.lookup("prices-value", PRICE_TICK))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.errorCode()).isEqualTo(40401);
        })
        .hasMessageContaining("Looking up schema under subject 'prices-value' at " + server.url())
        .hasMessageContaining("Auto-registration is off");
    assertThat(server.requests().get(0).rawPath()).isEqualTo("/subjects/prices-value");
  }

  @Test
  void lookupFindsARegisteredSchema() {
    int registered = server.backing().register("prices-value", PRICE_TICK);

    int found = new HttpSchemaRegistry(settings()).lookup("prices-value", PRICE_TICK);

    assertThat(found).isEqualTo(registered);
    assertThat(server.requests().get(0).method()).isEqualTo("POST");
  }

  @Test
  void setsGlobalAndSubjectCompatibility() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    registry.setCompatibility(null, "FULL");
    registry.setCompatibility("prices-value", "backward_transitive");

    List<Request> requests = server.requests();
    assertThat(requests.get(0).method()).isEqualTo("PUT");
    assertThat(requests.get(0).rawPath()).isEqualTo("/config");
    assertThat(requests.get(0).body()).isEqualTo("{\"compatibility\":\"FULL\"}");
    assertThat(requests.get(1).rawPath()).isEqualTo("/config/prices-value");
    assertThat(requests.get(1).bodyField("compatibility")).isEqualTo("BACKWARD_TRANSITIVE");
    assertThat(server.backing().compatibility(null)).isEqualTo(CompatibilityLevel.FULL);
    assertThat(server.backing().compatibility("prices-value"))
        .isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
  }

  @Test
  void anUnknownCompatibilityLevelIsRefusedBeforeAnyCall() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());

    assertThatThrownBy(() -> registry.setCompatibility(null, "SIDEWAYS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SIDEWAYS");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void checksCompatibilityAgainstTheLatestVersion() {
    HttpSchemaRegistry registry = new HttpSchemaRegistry(settings());
    Schema v1 = SchemaBuilder.record("Thing").fields().requiredString("a").endRecord();
    Schema withDefault = SchemaBuilder.record("Thing").fields()
        .requiredString("a").name("b").type().intType().intDefault(0).endRecord();
    Schema withoutDefault = SchemaBuilder.record("Thing").fields()
        .requiredString("a").requiredInt("b").endRecord();

    assertThat(registry.isCompatible("things-value", v1)).as("unknown subject").isTrue();
    registry.register("things-value", v1);

    assertThat(registry.isCompatible("things-value", withDefault)).isTrue();
    assertThat(registry.isCompatible("things-value", withoutDefault)).isFalse();
    assertThat(server.requests().get(0).rawPath())
        .isEqualTo("/compatibility/subjects/things-value/versions/latest");
  }

  @Test
  void aNotFoundWithoutRegistryErrorCodeIsNotTakenAsCompatible() {
    // A wrong base path gives a plain 404: that must not pass as "no versions yet".
    server.respond(request -> new Response(404, "Not Found"));

    assertThatThrownBy(() -> new HttpSchemaRegistry(settings()).isCompatible("prices-value", PRICE_TICK))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("HTTP 404");
  }

  @Test
  void rejectsUrlsThatAreNotHttp() {
    assertThatThrownBy(() -> new HttpSchemaRegistry(RegistrySettings.of("localhost:8081")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("localhost:8081");
  }

  @Test
  void connectGivesAnHttpClient() {
    SchemaRegistry registry = SchemaRegistries.connect(settings());

    assertThat(registry).isInstanceOf(HttpSchemaRegistry.class);
    assertThat(registry.describe()).isEqualTo(server.url());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort(); // closed again: connecting to it is refused
    }
  }
}
