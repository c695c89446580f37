package io.navstream.replay;

/**
 * An input file replay cannot use at all (missing, unreadable structure, wrong CSV header, funds
 * file that is not a JSON array). Unlike a bad row, this stops the replay.
 */
public class ReplayInputException extends RuntimeException {
  public ReplayInputException(String message) {
    super(message);
  }

  public ReplayInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
