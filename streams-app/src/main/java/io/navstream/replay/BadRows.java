package io.navstream.replay;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Counts skipped input rows and reports each to the diagnostics writer, up to a limit so that a
 * broken million-row file does not bury the summary; the summary says how many were not listed.
 */
final class BadRows {
  private final PrintWriter err;
  private final int maxListed;
  private final List<BadRow> listed = new ArrayList<>();
  private long count;

  BadRows(PrintWriter err, int maxListed) {
    this.err = err;
    this.maxListed = maxListed;
  }

  void report(String file, long line, String message) {
    count++;
    if (listed.size() < maxListed) {
      BadRow row = new BadRow(file, line, message);
      listed.add(row);
      err.println("skipped " + row);
      if (listed.size() == maxListed) {
        err.println("(listing no more bad rows; the summary counts them all)");
      }
      err.flush();
    }
  }

  long count() {
    return count;
  }

  /** The rows reported to the writer, in order. */
  List<BadRow> listed() {
    return Collections.unmodifiableList(listed);
  }
}
