package io.navstream.replay;

import java.io.Closeable;
import java.io.IOException;

/** Closes several resources, each even when an earlier one fails; rethrows a thread's failure. */
final class Closing {
  private Closing() {}

  /** Closes every resource; throws the first failure with the later ones suppressed. */
  static void closeAll(Iterable<? extends Closeable> resources) throws IOException {
    IOException failure = null;
    for (Closeable resource : resources) {
      try {
        resource.close();
      } catch (IOException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Rethrows a failure caught on another thread as it was, where it can be (an IOException, a
   * runtime exception or an error), else wrapped with {@code what} failed; nothing when null.
   */
  static void rethrow(Throwable t, String what) throws IOException {
    if (t == null) {
      return;
    }
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    throw new java.io.UncheckedIOException(new IOException(what + " failed", t));
  }
}
