package io.navstream.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** What every scenario gets: settings, the shared broker, where results and work files go. */
record BenchContext(BenchSettings settings, BenchKafka kafka, Results results, BenchProgress progress,
    PrintWriter log, Path workDir, Runnable reportWriter) {

  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** Writes the report so far, so that a long command that fails later keeps what it measured. */
  void checkpoint() {
    reportWriter.run();
  }

  void say(String format, Object... args) {
    log.println(String.format(Locale.ROOT, format, args));
    log.flush();
  }

  public BenchKafka kafka() {
    if (kafka == null) {
      throw new IllegalStateException("this scenario needs the broker");
    }
    return kafka;
  }
}
