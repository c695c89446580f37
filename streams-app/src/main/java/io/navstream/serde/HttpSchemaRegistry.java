package io.navstream.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of a registry speaking Confluent's REST protocol (Confluent Schema Registry, Apicurio's
 * {@code /apis/ccompat/v7}, Redpanda, Karapace), over the JDK's {@link HttpClient}.
 *
 * <p>Ids are cached per (subject, schema) and schemas per id, each computed once even under
 * concurrent first use, so a serde calls the registry once per topic and writer schema. Calls time
 * out after {@link RegistrySettings#requestTimeout()} and are retried with exponential backoff on I/O
 * errors, timeouts, HTTP 429 and 5xx; other 4xx answers are final. With several base URLs an I/O
 * error moves the client on to the next one.
 *
 * <p>Only endpoints documented by Confluent are used, so that other implementations of the protocol
 * work too.
 */
public final class HttpSchemaRegistry implements SchemaRegistry {
  private static final Logger log = LoggerFactory.getLogger(HttpSchemaRegistry.class);

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9,"
          + " application/json; q=0.5";

  // Confluent error codes this client reacts to.
  static final int SUBJECT_NOT_FOUND = 40401;
  static final int VERSION_NOT_FOUND = 40402;
  static final int SCHEMA_NOT_FOUND = 40403;

  private static final int MAX_ERROR_BODY_CHARS = 300;

  private final RegistrySettings settings;
  private final List<String> baseUrls;
  /** Index (modulo the URL count) of the base URL to use; moves on after an I/O error. */
  private final AtomicInteger currentUrl = new AtomicInteger();
  /** The Authorization header value, or null without auth. */
  private final String authorization;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final OnceCache<SubjectSchema, Integer> idsBySubjectSchema = new OnceCache<>();
  private final OnceCache<Integer, Schema> schemasById = new OnceCache<>();

  private record SubjectSchema(String subject, Schema schema) {}

  /** One HTTP answer and the base URL that gave it. */
  private record Reply(int status, String body, String baseUrl) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** The registry's {@code error_code} (or -1) and a readable message from an error answer. */
  private record RegistryError(int code, String message) {}

  public HttpSchemaRegistry(RegistrySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    List<String> urls = new ArrayList<>();
    String urlUserInfo = null;
    for (String url : settings.urls()) {
      URI uri = parseBaseUrl(url);
      if (uri.getRawUserInfo() != null && urlUserInfo == null) {
        urlUserInfo = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
      }
      urls.add(withoutUserInfo(uri));
    }
    this.baseUrls = List.copyOf(urls);
    this.authorization = authorizationHeader(settings, urlUserInfo);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  @Override
  public int register(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    return idsBySubjectSchema.get(new SubjectSchema(subject, schema), this::registerRemotely);
  }

  @Override
  public int lookup(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    return idsBySubjectSchema.get(new SubjectSchema(subject, schema), this::lookupRemotely);
  }

  @Override
  public Schema schemaById(int id) {
    return schemasById.get(id, this::fetchSchema);
  }

  @Override
  public void setCompatibility(String subjectOrNull, String level) {
    CompatibilityLevel parsed = CompatibilityLevel.parse(level);
    String operation;
    String path;
    if (subjectOrNull == null) {
      operation = "Setting the global compatibility level to " + parsed;
      path = "/config";
    } else {
      requireSubject(subjectOrNull);
      operation = "Setting the compatibility level of subject '" + subjectOrNull + "' to " + parsed;
      path = "/config/" + encodePathSegment(subjectOrNull);
    }
    Reply reply = send(operation, "PUT", path, jsonBody(Map.of("compatibility", parsed.name())));
    if (!reply.ok()) {
      throw failure(operation, reply, "");
    }
    log.info("{} at {} succeeded", operation, reply.baseUrl());
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    requireSubject(subject);
    Objects.requireNonNull(schema, "schema");
    String operation = "Checking compatibility of a schema with subject '" + subject + "'";
    String path = "/compatibility/subjects/" + encodePathSegment(subject) + "/versions/latest";
    Reply reply = send(operation, "POST", path, schemaBody(schema));
    if (reply.status() == 404) {
      // No version to be incompatible with. Other 404s (a wrong base path) stay errors.
      int code = parseError(reply.body()).code();
      if (code == SUBJECT_NOT_FOUND || code == VERSION_NOT_FOUND) {
        return true;
      }
    }
    if (!reply.ok()) {
      throw failure(operation, reply, "");
    }
    JsonNode answer = parseAnswer(operation, reply);
    JsonNode compatible = answer.get("is_compatible");
    if (compatible == null || !compatible.isBoolean()) {
      throw malformed(operation, reply, "no boolean 'is_compatible'");
    }
    return compatible.booleanValue();
  }

  @Override
  public String describe() {
    return String.join(",", baseUrls);
  }

  @Override
  public String toString() {
    return "HttpSchemaRegistry[" + settings + "]";
  }

  private int registerRemotely(SubjectSchema key) {
    String operation = "Registering schema under subject '" + key.subject() + "'";
    String path = "/subjects/" + encodePathSegment(key.subject()) + "/versions";
    Reply reply = send(operation, "POST", path, schemaBody(key.schema()));
    if (reply.status() == 409 && registeredConcurrently(reply)) {
      // Apicurio answers 409 "already exists" when another client created the subject at the same
      // moment (two instances starting together): the schema is there now, so look its id up.
      log.debug("{}: created concurrently by another client; looking it up", operation);
      try {
        return lookupRemotely(key);
      } catch (SchemaRegistryException e) {
        throw failure(operation, reply, "");
      }
    }
    if (!reply.ok()) {
      throw failure(operation, reply, "");
    }
    int id = requiredId(operation, reply);
    // Spares the deserializer a round trip for the schemas this process writes itself.
    schemasById.putIfAbsent(id, key.schema());
    log.info(
        "Registered {} under subject '{}' at {}: id {}",
        key.schema().getFullName(), key.subject(), reply.baseUrl(), id);
    return id;
  }

  /** A 409 that is not an incompatibility: the subject's artifact was created meanwhile. */
  private boolean registeredConcurrently(Reply reply) {
    RegistryError error = parseError(reply.body());
    String message = error == null || error.message() == null ? "" : error.message();
    return message.contains("already exists");
  }

  private int lookupRemotely(SubjectSchema key) {
    String operation = "Looking up schema under subject '" + key.subject() + "'";
    Reply reply = send(operation, "POST", "/subjects/" + encodePathSegment(key.subject()),
        schemaBody(key.schema()));
    if (reply.status() == 404) {
      throw failure(operation, reply,
          "Auto-registration is off, so the schema must be registered under this subject"
              + " beforehand (by the deployment, or by running once with auto-registration on)");
    }
    if (!reply.ok()) {
      throw failure(operation, reply, "");
    }
    int id = requiredId(operation, reply);
    schemasById.putIfAbsent(id, key.schema());
    log.debug("Found {} under subject '{}': id {}", key.schema().getFullName(), key.subject(), id);
    return id;
  }

  private Schema fetchSchema(int id) {
    String operation = "Fetching schema id " + id;
    Reply reply = send(operation, "GET", "/schemas/ids/" + id, null);
    if (!reply.ok()) {
      throw failure(operation, reply, "");
    }
    JsonNode answer = parseAnswer(operation, reply);
    JsonNode type = answer.get("schemaType");
    if (type != null && type.isTextual() && !"AVRO".equalsIgnoreCase(type.asText())) {
      throw malformed(operation, reply, "it is a " + type.asText() + " schema, not Avro");
    }
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw malformed(operation, reply, "no 'schema' text");
    }
    try {
      // A new parser each time: parsers are stateful and not thread-safe.
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          operation + " at " + reply.baseUrl() + " failed: not a valid Avro schema: "
              + e.getMessage(), reply.status(), -1, e);
    }
  }

  /**
   * Sends one call, retrying I/O errors, timeouts, 429 and 5xx. Returns the last answer, which is
   * an error answer when it is not retryable or the retries are used up; throws when no answer came.
   */
  private Reply send(String operation, String method, String path, String body) {
    Duration backoff = min(settings.initialBackoff(), settings.maxBackoff());
    int attempts = settings.maxRetries() + 1;
    for (int attempt = 1; ; attempt++) {
      int urlIndex = currentUrl.get();
      String baseUrl = baseUrls.get(Math.floorMod(urlIndex, baseUrls.size()));
      HttpRequest request = request(method, baseUrl + path, body);
      String problem;
      try {
        HttpResponse<String> response =
            http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Reply reply = new Reply(response.statusCode(), response.body(), baseUrl);
        if (!isRetryable(reply.status()) || attempt == attempts) {
          return reply;
        }
        problem = "HTTP " + reply.status();
      } catch (IOException e) {
        if (baseUrls.size() > 1) {
          currentUrl.compareAndSet(urlIndex, urlIndex + 1); // fail over to the next URL
        }
        if (attempt == attempts) {
          throw new SchemaRegistryException(
              operation + " at " + baseUrl + " failed after " + attempts + " attempt(s): "
                  + describeIoFailure(e), -1, -1, e);
        }
        problem = describeIoFailure(e);
      } catch (InterruptedException e) {
        throw interrupted(operation, baseUrl, e);
      }
      log.warn(
          "{} at {}: {}; retrying in {} ms (attempt {} of {})",
          operation, baseUrl, problem, backoff.toMillis(), attempt + 1, attempts);
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        throw interrupted(operation, baseUrl, e);
      }
      backoff = min(backoff.multipliedBy(2), settings.maxBackoff());
    }
  }

  private HttpRequest request(String method, String url, String body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(settings.requestTimeout())
            .header("Accept", ACCEPT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      builder.header("Content-Type", CONTENT_TYPE);
    }
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder.build();
  }

  private static boolean isRetryable(int status) {
    return status == 429 || (status >= 500 && status <= 599);
  }

  private String describeIoFailure(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out after " + settings.connectTimeout().toMillis() + " ms";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within the request timeout of " + settings.requestTimeout().toMillis()
          + " ms";
    }
    if (e instanceof ConnectException) {
      return "cannot connect" + (e.getMessage() != null ? " (" + e.getMessage() + ")" : "");
    }
    return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
  }

  private static SchemaRegistryException interrupted(
      String operation, String baseUrl, InterruptedException e) {
    Thread.currentThread().interrupt();
    return new SchemaRegistryException(
        operation + " at " + baseUrl + " was interrupted", -1, -1, e);
  }

  private SchemaRegistryException failure(String operation, Reply reply, String hint) {
    RegistryError error = parseError(reply.body());
    String code = error.code() >= 0 ? " (error " + error.code() + ")" : "";
    String message = error.message();
    if (!hint.isEmpty()) {
      message += (message.endsWith(".") ? " " : ". ") + hint;
    }
    return new SchemaRegistryException(
        operation + " at " + reply.baseUrl() + " failed: HTTP " + reply.status() + code + ": "
            + message,
        reply.status(),
        error.code(),
        null);
  }

  private static SchemaRegistryException malformed(String operation, Reply reply, String what) {
    return new SchemaRegistryException(
        operation + " at " + reply.baseUrl() + " failed: unexpected answer (" + what + "): "
            + abbreviate(reply.body()), reply.status(), -1, null);
  }

  private RegistryError parseError(String body) {
    if (body == null || body.isBlank()) {
      return new RegistryError(-1, "(empty answer)");
    }
    try {
      JsonNode node = json.readTree(body);
      JsonNode code = node.get("error_code");
      JsonNode message = node.get("message");
      if (code != null && code.canConvertToInt()) {
        return new RegistryError(
            code.intValue(), message != null ? message.asText() : abbreviate(body));
      }
    } catch (JsonProcessingException notJson) {
      // Proxies and load balancers answer with HTML or plain text; show that instead.
    }
    return new RegistryError(-1, abbreviate(body));
  }

  private JsonNode parseAnswer(String operation, Reply reply) {
    try {
      JsonNode node = json.readTree(reply.body());
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (JsonProcessingException e) {
      // reported below
    }
    throw malformed(operation, reply, "not a JSON object");
  }

  private int requiredId(String operation, Reply reply) {
    JsonNode id = parseAnswer(operation, reply).get("id");
    if (id == null || !id.canConvertToInt()) {
      throw malformed(operation, reply, "no integer 'id'");
    }
    return id.intValue();
  }

  private String schemaBody(Schema schema) {
    return jsonBody(Map.of("schema", schema.toString()));
  }

  private String jsonBody(Map<String, String> fields) {
    try {
      return json.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a JSON request body", e);
    }
  }

  private static String abbreviate(String body) {
    if (body == null || body.isBlank()) {
      return "(empty answer)";
    }
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_ERROR_BODY_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_ERROR_BODY_CHARS) + "...";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void requireSubject(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new IllegalArgumentException("A subject is required, was '" + subject + "'");
    }
  }

  /** Encodes a subject as one path segment: a '/' in it must not become a path separator. */
  static String encodePathSegment(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static URI parseBaseUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid schema registry URL '" + RegistrySettings.redactUserInfo(url) + "'", e);
    }
    String scheme = uri.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Schema registry URL '" + RegistrySettings.redactUserInfo(url)
              + "' must be http(s)://host[:port][/path]");
    }
    return uri;
  }

  /** The base URL without user info (it goes into the Authorization header) or trailing '/'. */
  private static String withoutUserInfo(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String port = uri.getPort() >= 0 ? ":" + uri.getPort() : "";
    return uri.getScheme() + "://" + uri.getHost() + port + path;
  }

  private static String authorizationHeader(RegistrySettings settings, String urlUserInfo) {
    if (settings.bearerToken() != null) {
      return "Bearer " + settings.bearerToken();
    }
    String userInfo =
        settings.basicAuthUserInfo() != null ? settings.basicAuthUserInfo() : urlUserInfo;
    if (userInfo == null) {
      return null;
    }
    return "Basic "
        + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }
}
