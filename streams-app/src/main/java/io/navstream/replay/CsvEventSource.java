package io.navstream.replay;

import io.navstream.avro.FundCommand;
import io.navstream.avro.FundCommandType;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
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
 * Streams a prices ({@code timestamp,symbol,price}), funding ({@code timestamp,symbol,rate}) or
 * operator commands ({@code timestamp,commandId,fundId,type}) CSV file as events, one row at a time. Bad rows are reported with their line number and skipped; a
 * wrong header, or CSV so broken that rows cannot be told apart, stops the replay.
 */
final class CsvEventSource implements EventSource {
  /** Builds the Avro value of a prices or funding row: symbol, decimal, event time. */
  private interface ValueFactory {
    SpecificRecord create(String symbol, BigDecimal number, Instant eventTime);
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
    return symbolNumber(file, ReplayEvent.Kind.PRICE, "price", PriceTick::new, badRows);
  }

  /** A funding file: {@code timestamp,symbol,rate}, one {@link FundingRate} per row. */
  static CsvEventSource funding(Path file, BadRows badRows) throws IOException {
    return symbolNumber(file, ReplayEvent.Kind.FUNDING, "rate", FundingRate::new, badRows);
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
          FundCommandType type;
          try {
            type = FundCommandType.valueOf(f[2].toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            type = FundCommandType.UNKNOWN;
          }
          if (type == FundCommandType.UNKNOWN) {
            throw new IllegalArgumentException(
                "type '" + f[2] + "' is not one of REBALANCE, PAUSE, RESUME");
          }
          return new ReplayEvent(ReplayEvent.Kind.COMMAND, timestamp, fundId,
              new FundCommand(commandId, fundId, type, null, Instant.ofEpochMilli(timestamp)));
        },
        badRows);
  }

  private static CsvEventSource symbolNumber(Path file, ReplayEvent.Kind kind, String numberColumn,
      ValueFactory values, BadRows badRows) throws IOException {
    return new CsvEventSource(file, List.of("timestamp", "symbol", numberColumn),
        (timestamp, f) -> {
          String symbol = required("symbol", f[0]);
          BigDecimal number;
          try {
            number = ReplayValues.decimal(f[1]);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(numberColumn + " " + e.getMessage());
          }
          return new ReplayEvent(kind, timestamp, symbol,
              values.create(symbol, number, Instant.ofEpochMilli(timestamp)));
        },
        badRows);
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
