package io.navstream.replay;

/**
 * An input row or entry that replay skipped.
 *
 * @param file the file as named on the command line
 * @param line 1-based line number where the row or entry starts
 * @param message why it was skipped
 */
public record BadRow(String file, long line, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }
}
