package io.navstream.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * A fake Confluent schema registry on 127.0.0.1 and a free port, backed by an {@link
 * InMemorySchemaRegistry}. It records every request; a test can answer some requests itself with
 * {@link #respond}, or make every request hang until the server is closed with {@link #hang}.
 */
final class FakeRegistryServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request as the server saw it. */
  record Request(String method, String rawPath, Headers headers, String body) {
    String header(String name) {
      return headers.getFirst(name);
    }

    String bodyField(String field) {
      try {
        return JSON.readTree(body).path(field).asText(null);
      } catch (IOException e) {
        throw new IllegalStateException("Request body is not JSON: " + body, e);
      }
    }
  }

  /** An answer the test chooses. */
  record Response(int status, String body) {
    static Response error(int status, int errorCode, String message) {
      ObjectNode node = JSON.createObjectNode().put("error_code", errorCode).put("message", message);
      return new Response(status, node.toString());
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final InMemorySchemaRegistry backing = new InMemorySchemaRegistry();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  /** Answers a request, or returns null to let the backing registry answer it. */
  private volatile Function<Request, Response> responder = request -> null;

  private FakeRegistryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor); // so that a hanging request does not block the others
    server.start();
  }

  static FakeRegistryServer start() throws IOException {
    return new FakeRegistryServer();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  InMemorySchemaRegistry backing() {
    return backing;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  long count(String method, String rawPath) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.rawPath().equals(rawPath))
        .count();
  }

  void respond(Function<Request, Response> newResponder) {
    this.responder = newResponder;
  }

  /** Every later request waits, unanswered, until the server is closed. */
  void hang() {
    respond(request -> {
      try {
        closing.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Response(503, "");
    });
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Request request = new Request(
          exchange.getRequestMethod(),
          exchange.getRequestURI().getRawPath(),
          exchange.getRequestHeaders(),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      requests.add(request);
      Response response = responder.apply(request);
      if (response == null) {
        response = answerLikeConfluent(request);
      }
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", HttpSchemaRegistry.CONTENT_TYPE);
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private Response answerLikeConfluent(Request request) {
    String[] path = request.rawPath().substring(1).split("/");
    try {
      if (request.method().equals("POST") && path.length == 3 && path[0].equals("subjects")
          && path[2].equals("versions")) {
        int id = backing.register(decode(path[1]), schemaOf(request));
        return ok(JSON.createObjectNode().put("id", id));
      }
      if (request.method().equals("POST") && path.length == 2 && path[0].equals("subjects")) {
        String subject = decode(path[1]);
        Schema schema = schemaOf(request);
        int id = backing.lookup(subject, schema);
        return ok(JSON.createObjectNode().put("subject", subject).put("id", id)
            .put("version", backing.versions(subject).indexOf(schema) + 1)
            .put("schema", schema.toString()));
      }
      if (request.method().equals("GET") && path.length == 3 && path[0].equals("schemas")
          && path[1].equals("ids")) {
        Schema schema = backing.schemaById(Integer.parseInt(path[2]));
        return ok(JSON.createObjectNode().put("schema", schema.toString()));
      }
      if (request.method().equals("PUT") && path[0].equals("config") && path.length <= 2) {
        String level = request.bodyField("compatibility");
        backing.setCompatibility(path.length == 2 ? decode(path[1]) : null, level);
        return ok(JSON.createObjectNode().put("compatibility", level));
      }
      if (request.method().equals("POST") && path.length == 5 && path[0].equals("compatibility")) {
        String subject = decode(path[2]);
        if (backing.versions(subject).isEmpty()) {
          return Response.error(404, 40401, "Subject '" + subject + "' not found.");
        }
        return ok(JSON.createObjectNode()
            .put("is_compatible", backing.isCompatible(subject, schemaOf(request))));
      }
      return Response.error(404, 404, "HTTP 404 Not Found");
    } catch (SchemaRegistryException e) {
      return Response.error(e.httpStatus(), e.errorCode(), e.getMessage());
    }
  }

  private static Schema schemaOf(Request request) {
    return new Schema.Parser().parse(request.bodyField("schema"));
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static Response ok(JsonNode body) {
    return new Response(200, body.toString());
  }
}
