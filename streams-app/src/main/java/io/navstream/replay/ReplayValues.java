package io.navstream.replay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Parsing of the scalar values of replay's input files. Failures are {@link
 * IllegalArgumentException}s whose message is fit for a bad-row report.
 */
final class ReplayValues {
  /** The scale of every decimal in the Avro contract. */
  static final int SCALE = 18;

  /** The precision of every decimal in the Avro contract. */
  static final int PRECISION = 38;

  private ReplayValues() {}

  /** Parses decimal text exactly (never through a double) and brings it to the contract's scale. */
  static BigDecimal decimal(String text) {
    String trimmed = text.trim();
    BigDecimal value;
    try {
      value = new BigDecimal(trimmed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a decimal number: '" + text + "'");
    }
    return toContractScale(value, trimmed);
  }

  /**
   * {@code value} at scale 18, or a failure when that needs rounding (more than 18 decimal places
   * that are not trailing zeros) or when it does not fit precision 38.
   */
  static BigDecimal toContractScale(BigDecimal value, String shownAs) {
    // Checked before setScale, so that "1e999999999" fails fast instead of allocating.
    if (value.precision() - value.scale() > PRECISION - SCALE) {
      throw new IllegalArgumentException(
          "too large: " + shownAs + " (at most " + (PRECISION - SCALE) + " integer digits)");
    }
    try {
      return value.setScale(SCALE, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("more than " + SCALE + " decimal places: " + shownAs);
    }
  }

  /**
   * Epoch milliseconds of an ISO-8601 timestamp with a zone offset ({@code 2025-01-01T00:00:00Z},
   * {@code 2025-01-01T02:00:00+02:00}) or of a plain integer taken as epoch milliseconds. Digits
   * below the millisecond are dropped, as Kafka and the contract's timestamp-millis would.
   */
  static long timestamp(String text) {
    String s = text.trim();
    if (isInteger(s)) {
      try {
        return recordTime(Long.parseLong(s));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("epoch milliseconds out of range: '" + text + "'");
      }
    }
    long fast = utcMillisOrMin(s);
    if (fast != Long.MIN_VALUE) {
      return recordTime(fast);
    }
    long millis;
    try {
      millis =
          OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              .toInstant()
              .toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "not a timestamp (ISO-8601 with offset, such as 2025-01-01T00:00:00Z, or epoch"
              + " milliseconds): '"
              + text
              + "'");
    }
    return recordTime(millis);
  }

  /** {@code millis} if usable as a Kafka record timestamp, which cannot be negative. */
  static long recordTime(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException(
          "before 1970-01-01T00:00:00Z ("
              + millis
              + "): Kafka record timestamps cannot be negative");
    }
    return millis;
  }

  /**
   * The common shape {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, parsed by hand: a prices file is
   * mostly timestamps, and the general parser costs about a microsecond a row. Anything else, valid
   * or not, returns {@link Long#MIN_VALUE} and goes to the general parser.
   */
  private static long utcMillisOrMin(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int millis = 0;
    if (n > 20) {
      // A fraction of 1 to 9 digits; digits beyond the millisecond are dropped.
      if (s.charAt(19) != '.' || n - 21 < 1 || n - 21 > 9 || digits(s, 20, n - 1) < 0) {
        return Long.MIN_VALUE;
      }
      int end = Math.min(n - 1, 23);
      millis = digits(s, 20, end);
      for (int i = end - 20; i < 3; i++) {
        millis *= 10;
      }
    }
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return Long.MIN_VALUE;
    }
    if (day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
      return Long.MIN_VALUE;
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1_000L + millis;
  }

  /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isInteger(String s) {
    int start = s.startsWith("-") ? 1 : 0;
    if (s.length() == start) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
