package io.navstream.embedded;

import io.navstream.topology.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry, a real schema registry speaking Confluent's protocol at {@code
 * /apis/ccompat/v7}, run as a child JVM from its prebuilt distribution (Quarkus, in-memory storage,
 * nothing kept after it stops).
 *
 * <p>The distribution is found in, in this order: an explicit directory; the system property
 * {@value #HOME_PROPERTY}; the environment variable {@value #HOME_ENV}; {@code apicurio} next to
 * the jar or classes directory navstream runs from (for {@code java -jar
 * streams-app/target/navstream.jar}: {@code streams-app/target/apicurio}, where the build unpacks
 * it).
 *
 * <p>The child listens on 127.0.0.1 on a port the OS hands out; its output goes to {@code
 * apicurio.log} in the work directory. Once it answers, the global compatibility level is set to
 * BACKWARD ({@link RegistryRules#applyGlobalDefault}). {@link #close()} stops it, and a JVM
 * shutdown hook does too if the caller never gets to, so no registry outlives its parent.
 */
public final class ApicurioRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);

  /** System property naming the unpacked distribution (set by the build for tests). */
  public static final String HOME_PROPERTY = "navstream.apicurio.home";
  /** Environment variable naming the unpacked distribution. */
  public static final String HOME_ENV = "NAVSTREAM_APICURIO_HOME";
  /** The Confluent-compatible API under the registry's root. */
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";

  static final String LOG_FILE_NAME = "apicurio.log";
  private static final String HOST = "127.0.0.1";
  private static final String RUNNER_JAR_PREFIX = "apicurio-registry-app-";
  private static final String RUNNER_JAR_SUFFIX = "-runner.jar";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  /** Retries of the whole start when the port chosen for it was taken meanwhile. */
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;

  private final Process process;
  private final int port;
  private final Path logFile;
  /** Stops the child if this JVM exits without {@link #close()}; removed by close(). */
  private final Thread shutdownHook;
  private final Duration startupTime;
  private boolean closed;

  private ApicurioRegistry(
      Process process, int port, Path logFile, Thread shutdownHook, Duration startupTime) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.shutdownHook = shutdownHook;
    this.startupTime = startupTime;
  }

  /**
   * Starts the registry from the distribution {@link #locateHome located} without an explicit
   * directory; see {@link #start(Path, Path)}.
   */
  public static ApicurioRegistry start(Path workDir) {
    return start(null, workDir);
  }

  /**
   * Starts the registry and returns once it answers on its Confluent-compatible API, with the
   * global compatibility level set to BACKWARD.
   *
   * @param homeOrNull the unpacked distribution, or null to {@link #locateHome locate} it
   * @param workDir where the child's log goes; created if missing
   * @throws IllegalStateException when it cannot start; the message includes the end of its log
   */
  public static ApicurioRegistry start(Path homeOrNull, Path workDir) {
    return start(homeOrNull, workDir, false);
  }

  /**
   * As {@link #start(Path, Path)}, but the registry keeps its schemas in an H2 database file in
   * {@code workDir}, so a registry restarted on the same directory serves the same ids. Records and
   * state stores written before a restart carry those ids, so the demo needs this to restart.
   */
  public static ApicurioRegistry startPersistent(Path homeOrNull, Path workDir) {
    return start(homeOrNull, workDir, true);
  }

  private static ApicurioRegistry start(Path homeOrNull, Path workDir, boolean persistent) {
    Objects.requireNonNull(workDir, "workDir");
    long started = System.nanoTime();
    Path runnerJar = runnerJar(locateHome(homeOrNull));
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the registry work directory " + workDir, e);
    }
    Path logFile = workDir.toAbsolutePath().resolve(LOG_FILE_NAME);
    for (int attempt = 1; ; attempt++) {
      int port = EmbeddedKafka.freePort();
      Process process = launch(runnerJar, port, workDir, logFile, persistent);
      Thread hook = new Thread(() -> stop(process, port), "apicurio-registry-stop-" + port);
      Runtime.getRuntime().addShutdownHook(hook);
      String failure = awaitReady(process, port);
      if (failure == null) {
        try {
          RegistryRules.applyGlobalDefault(url(port));
        } catch (RuntimeException e) {
          stop(process, port);
          removeHook(hook);
          throw e;
        }
        ApicurioRegistry registry = new ApicurioRegistry(
            process, port, logFile, hook, Duration.ofNanos(System.nanoTime() - started));
        log.info("Apicurio Registry started in {} ms at {} (log: {})",
            registry.startupTime.toMillis(), registry.url(), logFile);
        return registry;
      }
      stop(process, port);
      removeHook(hook);
      String tail = tail(logFile);
      if (attempt < START_ATTEMPTS && isPortClash(tail)) {
        log.warn("Port {} was taken before Apicurio Registry bound it; retrying with a new port", port);
        continue;
      }
      throw new IllegalStateException(
          "Apicurio Registry (" + runnerJar + ") did not start: " + failure + ". Last lines of "
              + logFile + ":" + System.lineSeparator() + tail);
    }
  }

  /**
   * Where the Apicurio distribution is: {@code explicitOrNull}, else the system property {@value
   * #HOME_PROPERTY}, else the environment variable {@value #HOME_ENV}, else {@code apicurio} next to
   * the jar (or classes directory) this class was loaded from. The first one given is used; it must
   * hold the runner jar.
   *
   * @throws IllegalStateException naming every place looked at, when none holds the distribution
   */
  public static Path locateHome(Path explicitOrNull) {
    List<String> looked = new ArrayList<>();
    if (explicitOrNull != null) {
      return requireDistribution(explicitOrNull, "the given directory", looked);
    }
    String property = System.getProperty(HOME_PROPERTY);
    if (property != null && !property.isBlank()) {
      return requireDistribution(Path.of(property), "system property " + HOME_PROPERTY, looked);
    }
    looked.add("system property " + HOME_PROPERTY + " (not set)");
    String env = System.getenv(HOME_ENV);
    if (env != null && !env.isBlank()) {
      return requireDistribution(Path.of(env), "environment variable " + HOME_ENV, looked);
    }
    looked.add("environment variable " + HOME_ENV + " (not set)");
    Path besideCode = besideCode();
    if (besideCode != null) {
      return requireDistribution(besideCode, "next to navstream's jar", looked);
    }
    looked.add("next to navstream's jar (its location is unknown)");
    throw notFound(looked);
  }

  /** The Confluent-compatible base URL, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
  public String url() {
    return url(port);
  }

  private static String url(int port) {
    return "http://" + HOST + ":" + port + CCOMPAT_PATH;
  }

  public int port() {
    return port;
  }

  /** The child's stdout and stderr. */
  public Path logFile() {
    return logFile;
  }

  /** From launching the child to its first successful answer, compatibility level set. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Sets FULL_TRANSITIVE on the value subjects of navstream's output topics; see {@link
   * RegistryRules#requireFullTransitive}.
   *
   * @return the subjects set
   */
  public List<String> requireFullTransitive(TopicNames topics) {
    return RegistryRules.requireFullTransitive(url(), topics);
  }

  /** Stops the child (SIGTERM, then SIGKILL after 10 s) and waits for it. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop(process, port);
    removeHook(shutdownHook);
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is exiting: the hook is running or has run, stopping the child.
    }
  }

  @Override
  public String toString() {
    return "ApicurioRegistry[" + url() + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private static Process launch(Path runnerJar, int port, Path workDir, Path logFile, boolean persistent) {
    List<String> command = List.of(
        javaBinary(),
        "-Xmx256m",
        // Quicker start and fewer threads on small machines; the registry is lightly used.
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-Dquarkus.http.port=" + port,
        "-Dquarkus.http.host=" + HOST,
        "-jar",
        runnerJar.toString());
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    if (persistent) {
      // The -app distribution's SQL storage runs on H2; a file URL instead of its default
      // in-memory one makes the schemas (and so their ids) survive a restart.
      builder.environment().put("REGISTRY_DATASOURCE_URL",
          "jdbc:h2:file:" + workDir.toAbsolutePath().resolve("registry-db"));
    }
    try {
      log.debug("Starting Apicurio Registry: {}", command);
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Apicurio Registry: " + command, e);
    }
  }

  /** Polls the API until it answers 200; returns null when ready, else why it is not. */
  private static String awaitReady(Process process, int port) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe = HttpRequest.newBuilder(URI.create(url(port) + "/subjects"))
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String lastProblem = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return "the process exited with code " + process.exitValue();
      }
      try {
        HttpResponse<String> response = http.send(probe, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return null;
        }
        lastProblem = "GET " + probe.uri() + " answered HTTP " + response.statusCode();
      } catch (IOException notYet) {
        lastProblem = "GET " + probe.uri() + " failed: " + notYet;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for it";
      }
      try {
        // Polling a child process that has no other readiness signal.
        process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted while waiting for it";
      }
    }
    return "no successful answer within " + READY_TIMEOUT.toSeconds() + " s (last: " + lastProblem + ")";
  }

  /** SIGTERM, then SIGKILL after STOP_TIMEOUT; waits for the process to end. */
  private static void stop(Process process, int port) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Apicurio Registry on port {} did not stop within {} s; killing it",
            port, STOP_TIMEOUT.toSeconds());
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String javaBinary() {
    // The JVM running navstream, not whatever `java` is first on the PATH.
    Path java = Path.of(System.getProperty("java.home"), "bin",
        System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "java.exe" : "java");
    if (Files.isExecutable(java)) {
      return java.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static Path runnerJar(Path home) {
    List<Path> jars = runnerJars(home);
    if (jars.size() != 1) {
      throw new IllegalStateException(
          "Expected one " + RUNNER_JAR_PREFIX + "*" + RUNNER_JAR_SUFFIX + " in " + home + ", found "
              + jars);
    }
    return jars.get(0);
  }

  private static List<Path> runnerJars(Path home) {
    if (!Files.isDirectory(home)) {
      return List.of();
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(home, RUNNER_JAR_PREFIX + "*" + RUNNER_JAR_SUFFIX)) {
      files.forEach(jars::add);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + home, e);
    }
    Collections.sort(jars);
    return jars;
  }

  private static Path requireDistribution(Path home, String source, List<String> looked) {
    Path absolute = home.toAbsolutePath().normalize();
    if (!runnerJars(absolute).isEmpty()) {
      return absolute;
    }
    looked.add(source + ": " + absolute + " (no " + RUNNER_JAR_PREFIX + "*" + RUNNER_JAR_SUFFIX + ")");
    throw notFound(looked);
  }

  private static IllegalStateException notFound(List<String> looked) {
    return new IllegalStateException(
        "Cannot find the Apicurio Registry distribution. Looked at: " + String.join("; ", looked)
            + ". Build it with `./mvnw -pl streams-app package -DskipTests` (it unpacks to"
            + " streams-app/target/apicurio), or point " + HOME_PROPERTY + " or " + HOME_ENV
            + " at an unpacked apicurio-registry-app tar.gz.");
  }

  /** {@code apicurio} beside the jar or classes directory holding this class, if known. */
  private static Path besideCode() {
    try {
      var source = ApicurioRegistry.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path location = Path.of(source.getLocation().toURI());
      Path parent = location.getParent();
      return parent == null ? null : parent.resolve("apicurio");
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }

  private static boolean isPortClash(String logTail) {
    String text = logTail.toLowerCase(Locale.ROOT);
    return text.contains("address already in use") || text.contains("port already bound");
  }

  /** The last lines of the child's log, for error messages. */
  static String tail(Path logFile) {
    try {
      // Lenient decoding: a log cut mid-character must still show.
      List<String> lines =
          new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
      return String.join(System.lineSeparator(),
          lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }
}
