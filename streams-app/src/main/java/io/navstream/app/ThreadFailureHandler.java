package io.navstream.app;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a failed stream thread, since most failures (a broker bounce, a fenced producer) are
 * transient, but shuts this instance down when threads keep failing: a poison pill or a bug would
 * otherwise crash-loop forever while looking alive. Shutting down only this client (not the whole
 * application) leaves the other instances to take over its tasks.
 */
public final class ThreadFailureHandler implements StreamsUncaughtExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ThreadFailureHandler.class);

  private final ThreadFailureWindow window;

  public ThreadFailureHandler(ThreadFailureWindow window) {
    this.window = window;
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    if (window.recordFailure()) {
      log.error(
          "Stream thread failed; more than {} thread failures within {} (thread.failures.max,"
              + " thread.failures.window.ms): shutting this instance down",
          window.maxFailures(), window.window(), exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    log.error(
        "Stream thread failed ({} of {} tolerated within {}); replacing it",
        window.failuresInWindow(), window.maxFailures(), window.window(), exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
