package io.navstream.connect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Apicurio Registry 2.6 (the Quarkus app that the build untars into target/apicurio), run as a
 * child JVM on a free loopback port. navstream talks to its Confluent-compatible API ({@link
 * #ccompatUrl()}); Apicurio's Kafka Connect converter talks to its own API ({@link #coreUrl()}).
 */
final class ApicurioRegistry implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final ChildProcess process;
  private final int port;

  private ApicurioRegistry(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the registry from {@code dir} and returns once its ccompat API answers 200. */
  static ApicurioRegistry start(Path dir, Path log) throws IOException, InterruptedException {
    Path runner;
    try (Stream<Path> files = Files.list(dir)) {
      runner =
          files
              .filter(p -> p.getFileName().toString().endsWith("-runner.jar"))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("no *-runner.jar in " + dir + ": run the build (mvn verify)"));
    }
    int port = ChildProcess.freePort();
    ChildProcess child =
        ChildProcess.java(
            "apicurio-registry",
            List.of(
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.http.host=127.0.0.1"),
            runner,
            List.of(),
            Map.of(),
            log);
    ApicurioRegistry registry = new ApicurioRegistry(child, port);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + "/subjects"))
            .timeout(Duration.ofSeconds(2))
            .build();
    try {
      Await.until(
          "Apicurio Registry to answer GET " + ready.uri(),
          START_TIMEOUT,
          () -> {
            if (!child.isAlive()) {
              throw new AssertionError("Apicurio Registry exited\n" + child.logTail());
            }
            return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
          },
          status -> status == 200,
          child::logTail);
    } catch (AssertionError | InterruptedException e) {
      child.close();
      throw e;
    }
    return registry;
  }

  /** The Confluent-compatible API, as navstream's schema.registry.url. */
  String ccompatUrl() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  /** Apicurio's own v2 API, as the converter's apicurio.registry.url. */
  String coreUrl() {
    return "http://127.0.0.1:" + port + "/apis/registry/v2";
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
