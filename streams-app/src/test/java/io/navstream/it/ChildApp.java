package io.navstream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code navstream run --config FILE} in a separate JVM, on this test's class path, so that it can
 * be killed like a crashed machine. Its output goes to a log file; it logs as navstream.jar does.
 */
final class ChildApp implements AutoCloseable {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path logFile;

  private ChildApp(Process process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
  }

  static ChildApp launch(Path configFile, Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC");
    mainLogbackConfig().ifPresent(config -> command.add("-Dlogback.configurationFile=" + config));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.navstream.cli.NavstreamCli");
    command.add("run");
    command.add("--config");
    command.add(configFile.toString());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // Only the config file counts: no NAVSTREAM_* variable of the test's own environment.
    builder.environment().keySet().removeIf(name -> name.startsWith("NAVSTREAM_"));
    try {
      return new ChildApp(builder.start(), logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command, e);
    }
  }

  /**
   * navstream.jar's own logging (INFO for navstream and stream-state changes) rather than the test
   * configuration, which shows warnings only: the child's log is read when a crash test fails.
   */
  private static Optional<Path> mainLogbackConfig() {
    URL main = ChildApp.class.getResource("/logback.xml");
    try {
      return main == null || !"file".equals(main.getProtocol())
          ? Optional.empty()
          : Optional.of(Path.of(main.toURI()));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Path logFile() {
    return logFile;
  }

  /** SIGKILL, as a crash: no shutdown hook, no commit, no leaving the group. */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** SIGTERM: navstream's shutdown hook closes the streams cleanly. */
  void stop() {
    process.destroy();
    awaitExit();
  }

  /** The exit code, once it has exited. */
  int exitValue() {
    return process.exitValue();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of the child's log, for failure messages. */
  String logTail() {
    try {
      List<String> lines =
          new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }
}
