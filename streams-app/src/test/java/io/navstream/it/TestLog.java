package io.navstream.it;

/**
 * Measurements and progress of the integration tests, on the test's standard output (surefire
 * keeps it in {@code target/surefire-reports/<class>-output.txt}); the test logging configuration
 * shows only warnings, and these lines are neither.
 */
final class TestLog {
  private TestLog() {}

  static void line(String format, Object... args) {
    System.out.printf("[it] " + format + "%n", args);
  }
}
