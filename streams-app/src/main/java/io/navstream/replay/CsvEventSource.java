package io.navstream.replay;

import io.navstream.avro.FlowType;
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
 * Streams a CSV file as events, one row at a time: prices ({@code timestamp,symbol,price}), funding
 * ({@code timestamp,symbol,rate}), token prices ({@code timestamp,fundId,price}) or fund flows
 * ({@code timestamp,requestId,fundId,type,amount}). Columns may come in any order. Bad rows are
 * reported with their line number and skipped; a wrong header, or CSV so broken that rows cannot be
 * told apart, stops the replay.
 */
final class CsvEventSource implements EventSource {
  /** Builds the Avro value of a row: symbol, decimal, event time. */
  private interface ValueFactory {
    SpecificRecord create(String symbol, BigDecimal number, Instant eventTime);
  }

  /** A row's fields by (lower-case) column name. */
  private interface Row {
    String get(String column);
  }

  /** Reads one row (its timestamp already parsed) into an event; throws IllegalArgumentException. */
  private interface RowReader {
    ReplayEvent read(Row row, long timestamp);
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
  private final RowReader reader;
  private final BadRows badRows;
  private final CSVParser parser;
  private final Iterator<CSVRecord> rows;
  private final int[] indexes;
  private final int width;
  private ReplayEvent head;
  private boolean exhausted;
  private long rowsRead;

  /**
   * @param columns the header, as documented (matched case-insensitively, in any order)
   */
  private CsvEventSource(Path file, List<String> columns, RowReader rowReader, BadRows badRows)
      throws IOException {
    this.fileName = file.toString();
    this.columns = columns;
    this.reader = rowReader;
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
    this.width = header.size();
    this.indexes = new int[columns.size()];
    boolean complete = width == columns.size();
    for (int i = 0; i < columns.size(); i++) {
      indexes[i] = header.indexOf(columns.get(i).toLowerCase(Locale.ROOT));
      complete &= indexes[i] >= 0;
    }
    if (!complete) {
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
    return keyAndNumber(file, ReplayEvent.Kind.PRICE, "symbol", "price", PriceTick::new, badRows);
  }

  /** A funding file: {@code timestamp,symbol,rate}, one {@link FundingRate} per row. */
  static CsvEventSource funding(Path file, BadRows badRows) throws IOException {
    return keyAndNumber(file, ReplayEvent.Kind.FUNDING, "symbol", "rate", FundingRate::new, badRows);
  }

  /** A token prices file: {@code timestamp,fundId,price}, one {@link TokenPrice} per row. */
  static CsvEventSource tokenPrices(Path file, BadRows badRows) throws IOException {
    return keyAndNumber(file, ReplayEvent.Kind.TOKEN_PRICE, "fundId", "price", TokenPrice::new, badRows);
  }

  /**
   * A fund flows file: {@code timestamp,requestId,fundId,type,amount}, one {@link FundFlow} per
   * row; type is CREATE or REDEEM. A non-positive amount is not a bad row: the topology answers it.
   */
  static CsvEventSource flows(Path file, BadRows badRows) throws IOException {
    return new CsvEventSource(file, List.of("timestamp", "requestId", "fundId", "type", "amount"),
        (row, timestamp) -> {
          String requestId = nonEmpty(row, "requestid", "requestId");
          String fundId = nonEmpty(row, "fundid", "fundId");
          FlowType type;
          try {
            type = FlowType.valueOf(row.get("type").trim().toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            type = FlowType.UNKNOWN;
          }
          if (type == FlowType.UNKNOWN) {
            throw new IllegalArgumentException("type '" + row.get("type") + "' is not CREATE or REDEEM");
          }
          BigDecimal amount = number(row, "amount");
          return new ReplayEvent(ReplayEvent.Kind.FLOW, timestamp, fundId,
              new FundFlow(requestId, fundId, type, amount, Instant.ofEpochMilli(timestamp)));
        },
        badRows);
  }

  private static CsvEventSource keyAndNumber(Path file, ReplayEvent.Kind kind, String keyColumn,
      String numberColumn, ValueFactory values, BadRows badRows) throws IOException {
    String key = keyColumn.toLowerCase(Locale.ROOT);
    return new CsvEventSource(file, List.of("timestamp", keyColumn, numberColumn),
        (row, timestamp) -> {
          String id = nonEmpty(row, key, keyColumn);
          BigDecimal number = number(row, numberColumn);
          return new ReplayEvent(kind, timestamp, id, values.create(id, number, Instant.ofEpochMilli(timestamp)));
        },
        badRows);
  }

  private static String nonEmpty(Row row, String column, String shownAs) {
    String value = row.get(column);
    if (value.isEmpty()) {
      throw new IllegalArgumentException("empty " + shownAs);
    }
    return value;
  }

  private static BigDecimal number(Row row, String column) {
    try {
      return ReplayValues.decimal(row.get(column));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(column + " " + e.getMessage());
    }
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
        long timestamp = ReplayValues.timestamp(row.get(indexes[0])); // timestamp comes first
        return reader.read(column -> row.get(indexes[columnIndex(column)]), timestamp);
      } catch (IllegalArgumentException e) {
        badRows.report(fileName, line, e.getMessage());
      }
    }
  }

  private int columnIndex(String lowerCaseName) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).equalsIgnoreCase(lowerCaseName)) {
        return i;
      }
    }
    throw new IllegalStateException("no column " + lowerCaseName);
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
