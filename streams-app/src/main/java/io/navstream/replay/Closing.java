package io.navstream.replay;

import java.io.Closeable;
import java.io.IOException;

/** Closes several resources, each even when an earlier one fails. */
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
}
