package io.navstream.replay;

import io.navstream.avro.FlowType;
import io.navstream.avro.FundCommand;
import io.navstream.avro.FundCommandType;
import io.navstream.avro.FundFlow;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import io.navstream.avro.TokenPrice;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streams a prices ({@code timestamp,symbol,price}), funding ({@code timestamp,symbol,rate}),
 * operator commands ({@code timestamp,commandId,fundId,type}), fund flows ({@code
 * timestamp,requestId,fundId,type,amount}) or token prices ({@code timestamp,fundId,price}) CSV
 * file as events, one row at a time. Bad rows are reported with their line number and skipped; a
 * wrong header, or CSV so broken that rows cannot be told apart, stops the replay.
 */
final class CsvEventSource implements EventSource {
  /** Builds the Avro value of a prices, funding or token prices row: key, decimal, event time. */
  private interface ValueFactory {
    SpecificRecord create(String key, BigDecimal number, Instant eventTime);
  }

  /**
   * Builds the event of a row from its timestamp and its other fields, in the order of the expected
   * header's columns after {@code timestamp}; throws IllegalArgumentException for a bad row.
   */
  private interface RowFactory {
    ReplayEvent create(long timestamp, String[] fields);
  }

  private static final CSVFormat FORMAT =
      CSVFormat.DEFAULT
          .builder()
          .setIgnoreSurroundingSpaces(true)
          // Blank lines come through as one empty field, so line numbers stay exact (see poll).
          .setIgnoreEmptyLines(false)
          .get();

  private final String fileName;
  private final List<String> columns;
  private final RowFactory rowFactory;
  private final BadRows badRows;
  private final CSVParser parser;
  private final Iterator<CSVRecord> rows;
  /** Where each expected column (timestamp first) is in the file's rows. */
  private final int[] indexes;
  private final int width;
  private ReplayEvent head;
  private boolean exhausted;
  private long rowsRead;

  private CsvEventSource(
      Path file, List<String> columns, RowFactory rowFactory, BadRows badRows)
      throws IOException {
    this.fileName = file.toString();
    this.columns = columns;
    this.rowFactory = rowFactory;
    this.badRows = badRows;
    Reader reader;
    try {
      reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ReplayInputException(fileName + ": no such file");
    }
    this.parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
    this.rows = parser.iterator();
    List<String> header = readHeader();
    this.indexes = columns.stream().mapToInt(c -> header.indexOf(c.toLowerCase(Locale.ROOT))).toArray();
    this.width = header.size();
    if (width != columns.size() || Arrays.stream(indexes).anyMatch(i -> i < 0)) {
      parser.close();
      throw new ReplayInputException(
          fileName
              + ":1: bad header: expected "
              + String.join(",", columns)
              + " but found "
              + String.join(",", header));
    }
  }

  /** A prices file: {@code timestamp,symbol,price}, one {@link PriceTick} per row. */
  static CsvEventSource prices(Path file, BadRows badRows) throws IOException {
    return keyNumber(file, ReplayEvent.Kind.PRICE, "symbol", "price", PriceTick::new, badRows);
  }

  /** A funding file: {@code timestamp,symbol,rate}, one {@link FundingRate} per row. */
  static CsvEventSource funding(Path file, BadRows badRows) throws IOException {
    return keyNumber(file, ReplayEvent.Kind.FUNDING, "symbol", "rate", FundingRate::new, badRows);
  }

  /** A token prices file: {@code timestamp,fundId,price}, one {@link TokenPrice} per row. */
  static CsvEventSource tokenPrices(Path file, BadRows badRows) throws IOException {
    return keyNumber(file, ReplayEvent.Kind.TOKEN_PRICE, "fundId", "price", TokenPrice::new, badRows);
  }

  /**
   * A fund flows file: {@code timestamp,requestId,fundId,type,amount} with type CREATE or REDEEM,
   * one {@link FundFlow} per row, keyed by fundId. A non-positive amount is not a bad row: the
   * topology answers it.
   */
  static CsvEventSource flows(Path file, BadRows badRows) throws IOException {
    return new CsvEventSource(file, List.of("timestamp", "requestId", "fundId", "type", "amount"),
        (timestamp, f) -> {
          String requestId = required("requestId", f[0]);
          String fundId = required("fundId", f[1]);
          FlowType type = knownType(FlowType.class, f[2]);
          return new ReplayEvent(ReplayEvent.Kind.FLOW, timestamp, fundId,
              new FundFlow(requestId, fundId, type, number("amount", f[3]), Instant.ofEpochMilli(timestamp)));
        },
        badRows);
  }

  /**
   * An operator commands file: {@code timestamp,commandId,fundId,type} with type REBALANCE, PAUSE
   * or RESUME, one {@link FundCommand} per row, keyed by fundId, its eventTime the timestamp.
   */
  static CsvEventSource commands(Path file, BadRows badRows) throws IOException {
    return new CsvEventSource(file, List.of("timestamp", "commandId", "fundId", "type"),
        (timestamp, f) -> {
          String commandId = required("commandId", f[0]);
          String fundId = required("fundId", f[1]);
          FundCommandType type = knownType(FundCommandType.class, f[2]);
          return new ReplayEvent(ReplayEvent.Kind.COMMAND, timestamp, fundId,
              new FundCommand(commandId, fundId, type, null, Instant.ofEpochMilli(timestamp)));
        },
        badRows);
  }

  /** {@code timestamp,<keyColumn>,<numberColumn>}: a key (symbol or fundId) and a decimal. */
  private static CsvEventSource keyNumber(Path file, ReplayEvent.Kind kind, String keyColumn,
      String numberColumn, ValueFactory values, BadRows badRows) throws IOException {
    return new CsvEventSource(file, List.of("timestamp", keyColumn, numberColumn),
        (timestamp, f) -> {
          String key = required(keyColumn, f[0]);
          BigDecimal number = number(numberColumn, f[1]);
          return new ReplayEvent(kind, timestamp, key,
              values.create(key, number, Instant.ofEpochMilli(timestamp)));
        },
        badRows);
  }

  private static BigDecimal number(String column, String value) {
    try {
      return ReplayValues.decimal(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(column + " " + e.getMessage());
    }
  }

  /** The enum constant named {@code text} in any case; UNKNOWN and anything else are bad rows. */
  private static <E extends Enum<E>> E knownType(Class<E> type, String text) {
    for (E constant : type.getEnumConstants()) {
      if (!constant.name().equals("UNKNOWN") && constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name)
        .filter(name -> !name.equals("UNKNOWN")).toList();
    throw new IllegalArgumentException("type '" + text + "' is not one of " + String.join(", ", allowed));
  }

  private static String required(String column, String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty " + column);
    }
    return value;
  }

  /**
   * A rough row count from the file size and the length of the first rows, to decide on a progress
   * bar and to size it; never reads the whole file.
   */
  static long estimateRows(Path file) throws IOException {
    long size = Files.size(file);
    byte[] sample = new byte[(int) Math.min(size, 64 * 1024)];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(sample, 0, sample.length);
    }
    int lines = 0;
    for (int i = 0; i < read; i++) {
      if (sample[i] == '\n') {
        lines++;
      }
    }
    if (lines == 0 || read == size) {
      return Math.max(0, lines - 1); // all of it was read (or one line): count, minus the header
    }
    return size * lines / read;
  }

  /** Data rows read so far, good and bad (the header and blank lines excluded). */
  long rowsRead() {
    return rowsRead;
  }

  @Override
  public ReplayEvent peek() throws IOException {
    if (head == null && !exhausted) {
      head = readNext();
      exhausted = head == null;
    }
    return head;
  }

  @Override
  public ReplayEvent poll() throws IOException {
    ReplayEvent e = peek();
    head = null;
    return e;
  }

  @Override
  public void close() throws IOException {
    parser.close();
  }

  private List<String> readHeader() throws IOException {
    CSVRecord first = nextRecord();
    if (first == null) {
      parser.close();
      throw new ReplayInputException(
          fileName + ": empty file; expected the header " + String.join(",", columns));
    }
    String[] names = first.values();
    if (names.length > 0 && names[0].startsWith("\uFEFF")) {
      names[0] = names[0].substring(1); // a UTF-8 byte order mark, as spreadsheets write
    }
    return Arrays.stream(names).map(n -> n.trim().toLowerCase(Locale.ROOT)).toList();
  }

  private ReplayEvent readNext() throws IOException {
    while (true) {
      // Lines consumed before this record, so the record starts on the next one. Exact because
      // blank lines are records too (ignoreEmptyLines=false), and hasNext() reads the record.
      long line = parser.getCurrentLineNumber() + 1;
      CSVRecord row = nextRecord();
      if (row == null) {
        return null;
      }
      if (row.size() == 1 && row.get(0).isEmpty()) {
        continue; // a blank line, not a row
      }
      rowsRead++;
      if (row.size() != width) {
        badRows.report(
            fileName,
            line,
            "expected " + width + " fields, found " + row.size() + ": " + row.toList());
        continue;
      }
      try {
        long timestamp = ReplayValues.timestamp(row.get(indexes[0]));
        String[] fields = new String[indexes.length - 1];
        for (int i = 1; i < indexes.length; i++) {
          fields[i - 1] = row.get(indexes[i]);
        }
        return rowFactory.create(timestamp, fields);
      } catch (IllegalArgumentException e) {
        badRows.report(fileName, line, e.getMessage());
      }
    }
  }

  private CSVRecord nextRecord() throws IOException {
    try {
      return rows.hasNext() ? rows.next() : null;
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof CSVException broken) {
        // Unbalanced quotes and the like: the rest of the file cannot be split into rows.
        throw new ReplayInputException(
            fileName
                + ":"
                + (parser.getCurrentLineNumber() + 1)
                + ": unreadable CSV: "
                + broken.getMessage(),
            broken);
      }
      throw e.getCause();
    }
  }
}
