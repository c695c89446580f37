package io.navstream.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster in this JVM: one KRaft process that is both broker and controller,
 * on 127.0.0.1, storing its logs under a data directory.
 *
 * <p>Everything is sized for one node, so that exactly-once works: every replication factor is 1
 * (offsets topic, transaction state log with min ISR 1, default for new topics), topics are never
 * auto-created, and a consumer group's first rebalance is not delayed. The metadata version is
 * pinned to {@link MetadataVersion#LATEST_PRODUCTION} of the Kafka on the classpath.
 *
 * <p>Records are kept by size (1 GiB per partition), never by age: navstream's records carry
 * their event time, and a replayed or simulated series may be years old, which time-based
 * retention would delete minutes after it is written. Timestamps in the future are accepted too
 * ({@code log.message.timestamp.after.max.ms}): the demo's simulated clock runs ahead of the wall
 * clock.
 *
 * <p><b>Ports.</b> Both listeners get ports the OS hands out: the broker's (clients) and the
 * controller's, which must be known before start because the static quorum names it. A port is
 * found by binding port 0 and releasing it; if another process grabs it before the broker binds,
 * the whole start is retried with fresh ports.
 *
 * <p><b>Restarts.</b> {@link #start(Path)} formats an empty data directory, and restarts from one
 * that holds formatted metadata ({@code meta.properties}), keeping its cluster id, topics, records
 * and committed offsets. It reuses the previous ports when they are free and takes new ones
 * otherwise, so clients must read {@link #bootstrapServers()} again after every start.
 *
 * <p>Broker loggers ({@code kafka}, {@code state.change.logger}, {@code org.apache.kafka}) are set
 * to WARN unless the logging configuration sets them.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final int NODE_ID = 1;
  private static final String HOST = "127.0.0.1";
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  /** Retries of the whole start when a port chosen for it was taken meanwhile. */
  private static final int START_ATTEMPTS = 5;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final long RETENTION_BYTES_PER_PARTITION = 1L << 30;
  private static final int SEGMENT_BYTES = 128 << 20;
  /** A century: segments never roll because their records' timestamps are old. */
  private static final long ROLL_NEVER_MS = Duration.ofDays(36_500).toMillis();

  /** Under the data directory: Kafka's log directory (records and the KRaft metadata log). */
  static final String LOG_DIR_NAME = "kafka-logs";
  /** Under the data directory: this class's own memory of cluster id and ports. */
  static final String STATE_FILE_NAME = "embedded-kafka.properties";

  private static final String CLUSTER_ID = "cluster.id";
  private static final String BROKER_PORT = "broker.port";
  private static final String CONTROLLER_PORT = "controller.port";

  private final Path dataDir;
  private final String clusterId;
  private final int brokerPort;
  private final int controllerPort;
  private final KafkaRaftServer server;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedKafka(
      Path dataDir,
      String clusterId,
      Ports ports,
      KafkaRaftServer server,
      Duration startupTime) {
    this.dataDir = dataDir;
    this.clusterId = clusterId;
    this.brokerPort = ports.broker();
    this.controllerPort = ports.controller();
    this.server = server;
    this.startupTime = startupTime;
  }

  /** The two listener ports of one start attempt. */
  private record Ports(int broker, int controller) {}

  /**
   * Starts a broker on {@code dataDir}, formatting it first when it holds no Kafka metadata yet.
   * Returns once the broker accepts clients.
   *
   * @throws IllegalStateException when the broker cannot start; the message says why
   */
  public static EmbeddedKafka start(Path dataDir) {
    Objects.requireNonNull(dataDir, "dataDir");
    long started = System.nanoTime();
    Path absolute = dataDir.toAbsolutePath().normalize();
    Path logDir = absolute.resolve(LOG_DIR_NAME);
    quietBrokerLoggers();
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the Kafka data directory " + logDir, e);
    }
    Properties remembered = readProperties(absolute.resolve(STATE_FILE_NAME));
    boolean formatted = Files.exists(logDir.resolve("meta.properties"));
    String clusterId = formatted ? clusterIdOf(logDir, remembered) : Uuid.randomUuid().toString();
    if (!formatted) {
      format(logDir, clusterId);
    }

    Ports ports = previousPortsIfFree(remembered);
    for (int attempt = 1; ; attempt++) {
      if (ports == null) {
        ports = freePorts();
      }
      KafkaRaftServer server = new KafkaRaftServer(config(logDir, ports), Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        shutDownQuietly(server);
        if (!causedByBind(e) || attempt == START_ATTEMPTS) {
          throw new IllegalStateException(
              "Cannot start the embedded Kafka broker on " + absolute + " (attempt " + attempt
                  + " of " + START_ATTEMPTS + "): " + e.getMessage(), e);
        }
        log.warn("Port {} or {} was taken before the broker bound it; retrying with new ports",
            ports.broker(), ports.controller());
        ports = null;
        continue;
      }
      try {
        awaitReady(HOST + ":" + ports.broker());
        rememberPorts(absolute, clusterId, ports);
      } catch (RuntimeException e) {
        shutDownQuietly(server);
        throw e;
      }
      EmbeddedKafka kafka = new EmbeddedKafka(
          absolute, clusterId, ports, server, Duration.ofNanos(System.nanoTime() - started));
      log.info("Embedded Kafka {} at {} in {} ms (data {}, cluster {})",
          formatted ? "restarted" : "formatted and started", kafka.bootstrapServers(),
          kafka.startupTime.toMillis(), absolute, clusterId);
      return kafka;
    }
  }

  /** {@code 127.0.0.1:<port>} of the broker listener; read it again after every start. */
  public String bootstrapServers() {
    return HOST + ":" + brokerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The cluster id, generated at format time and kept across restarts. */
  public String clusterId() {
    return clusterId;
  }

  /** How long {@link #start(Path)} took, formatting included. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Shuts the broker and controller down cleanly and waits until they have stopped. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long stopping = System.nanoTime();
    server.shutdown();
    server.awaitShutdown();
    log.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers() + ", " + dataDir + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private static KafkaConfig config(Path logDir, Ports ports) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    // A static quorum: its voter list comes from this config, so the controller port may change
    // between restarts (a dynamic quorum would record it in the metadata log).
    p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + ports.controller());
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + ports.broker() + ","
        + CONTROLLER_LISTENER + "://" + HOST + ":" + ports.controller());
    p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + ports.broker());
    p.put("listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put("log.dirs", logDir.toString());
    // One node: every replication factor 1, or exactly-once producers could never start.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // Fewer internal partitions than the 50 default: faster first group and transaction.
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // navstream stamps records with their event time, which may lie far in the past (replays,
    // simulated series), and Kafka rolls and deletes segments by record timestamp: with the
    // defaults, such records would be deleted at the first retention check, and almost every
    // append would roll a new segment. Keep records by size instead, and roll by size only.
    p.put("log.retention.ms", "-1");
    p.put("log.retention.bytes", String.valueOf(RETENTION_BYTES_PER_PARTITION));
    p.put("log.segment.bytes", String.valueOf(SEGMENT_BYTES));
    p.put("log.roll.ms", String.valueOf(ROLL_NEVER_MS));
    // The demo compresses days into minutes, so event times run ahead of the wall clock; Kafka 4
    // refuses timestamps more than an hour in the future by default.
    p.put("log.message.timestamp.after.max.ms", String.valueOf(Long.MAX_VALUE));
    // The log cleaner's default 128 MiB dedupe buffer is sized for production brokers.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    return KafkaConfig.fromProps(p, false);
  }

  private static void format(Path logDir, String clusterId) {
    // The formatter reports on a PrintStream; keep it in our log rather than on stdout.
    OutputStream toLog = new LineLogger();
    try (PrintStream report = new PrintStream(toLog, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(report)
          .setNodeId(NODE_ID)
          .setClusterId(clusterId)
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
  }

  /** The cluster id of a formatted log directory, cross-checked with what this class remembered. */
  private static String clusterIdOf(Path logDir, Properties remembered) {
    String formattedId = readProperties(logDir.resolve("meta.properties")).getProperty(CLUSTER_ID);
    if (formattedId == null || formattedId.isBlank()) {
      throw new IllegalStateException(logDir.resolve("meta.properties") + " has no " + CLUSTER_ID);
    }
    String rememberedId = remembered.getProperty(CLUSTER_ID);
    if (rememberedId != null && !rememberedId.equals(formattedId)) {
      throw new IllegalStateException(
          "The data directory " + logDir.getParent() + " mixes two clusters: " + STATE_FILE_NAME
              + " says " + rememberedId + " but meta.properties says " + formattedId);
    }
    return formattedId;
  }

  /** Writes cluster id and ports atomically, so a crash leaves the previous file or the new one. */
  private static void rememberPorts(Path dataDir, String clusterId, Ports ports) {
    Properties p = new Properties();
    p.setProperty(CLUSTER_ID, clusterId);
    p.setProperty(BROKER_PORT, String.valueOf(ports.broker()));
    p.setProperty(CONTROLLER_PORT, String.valueOf(ports.controller()));
    Path file = dataDir.resolve(STATE_FILE_NAME);
    Path tmp = dataDir.resolve(STATE_FILE_NAME + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "Written by navstream's EmbeddedKafka at each start");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + tmp, e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** startup() returns once the broker is unfenced; this checks that a client gets through too. */
  private static void awaitReady(String bootstrapServers) {
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness");
    try (Admin admin = Admin.create(config)) {
      int brokers = admin.describeCluster(
              new DescribeClusterOptions().timeoutMs((int) READY_TIMEOUT.toMillis()))
          .nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
      if (brokers != 1) {
        throw new IllegalStateException("The embedded cluster reports " + brokers + " brokers, not 1");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "The embedded Kafka broker at " + bootstrapServers + " did not answer within "
              + READY_TIMEOUT.toSeconds() + " s: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted waiting for the embedded Kafka broker", e);
    }
  }

  private static Ports previousPortsIfFree(Properties remembered) {
    try {
      int broker = Integer.parseInt(remembered.getProperty(BROKER_PORT, ""));
      int controller = Integer.parseInt(remembered.getProperty(CONTROLLER_PORT, ""));
      return isFree(broker) && isFree(controller) && broker != controller
          ? new Ports(broker, controller)
          : null;
    } catch (NumberFormatException none) {
      return null;
    }
  }

  /** Two distinct ports the OS considers free right now; someone else may take them before we bind. */
  private static Ports freePorts() {
    try (ServerSocket broker = bindAnyPort(); ServerSocket controller = bindAnyPort()) {
      return new Ports(broker.getLocalPort(), controller.getLocalPort());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot get free ports from the OS", e);
    }
  }

  /** A port the OS considers free right now; someone else may take it before it is bound again. */
  static int freePort() {
    try (ServerSocket socket = bindAnyPort()) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot get a free port from the OS", e);
    }
  }

  private static ServerSocket bindAnyPort() throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static boolean isFree(int port) {
    if (port <= 0 || port > 65535) {
      return false;
    }
    try (ServerSocket socket = new ServerSocket()) {
      // As Kafka binds: SO_REUSEADDR, so a port in TIME_WAIT after our own last run counts as free.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }

  private static void shutDownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.debug("Ignoring a failure to shut down a broker that did not start", e);
    }
  }

  private static Properties readProperties(Path file) {
    Properties p = new Properties();
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file, e);
      }
    }
    return p;
  }

  /**
   * The broker logs at INFO through slf4j, very verbosely. When logback is the binding, loggers the
   * configuration leaves unset are set to WARN; an explicit configuration always wins.
   */
  private static void quietBrokerLoggers() {
    if (!(LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
      return;
    }
    for (String name : List.of("kafka", "state.change.logger", "org.apache.kafka")) {
      ch.qos.logback.classic.Logger logger = context.getLogger(name);
      if (logger.getLevel() == null) {
        logger.setLevel(ch.qos.logback.classic.Level.WARN);
      }
    }
  }

  /** An OutputStream that logs each line written to it at INFO. */
  private static final class LineLogger extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      if (b == '\n') {
        logLine();
      } else {
        line.write(b);
      }
    }

    @Override
    public void close() {
      logLine();
    }

    private void logLine() {
      String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
      line.reset();
      if (!text.isEmpty()) {
        log.info("Kafka storage: {}", text);
      }
    }
  }
}
