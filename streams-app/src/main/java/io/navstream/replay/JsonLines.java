package io.navstream.replay;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryDecoder;

/** A JSON-lines file: one JSON value per line, through one reused, buffered generator. */
final class JsonLines implements Closeable {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final int BUFFER = 1 << 16;

  private final Path file;
  private final JsonGenerator json;
  private final AvroJson.Scratch scratch = new AvroJson.Scratch();
  private long lines;

  JsonLines(Path file) throws IOException {
    // UTF-8 bytes straight from Jackson's own buffer, in large writes.
    this(file, new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
  }

  /** Lines into {@code out}, in memory; {@link #file()} is null. */
  JsonLines(OutputStream out) throws IOException {
    this(null, out);
  }

  private JsonLines(Path file, OutputStream out) throws IOException {
    this.file = file;
    this.json = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    // Lines are ended explicitly; no separator of Jackson's own between root values.
    json.setRootValueSeparator(null);
  }

  /** The generator to write the next line's value with; call {@link #endLine()} after it. */
  JsonGenerator generator() {
    return json;
  }

  void endLine() throws IOException {
    json.writeRaw('\n');
    lines++;
  }

  void write(IndexedRecord record) throws IOException {
    AvroJson.write(json, record, scratch);
    endLine();
  }

  /** Writes the Avro binary value {@code in} holds, of {@code schema}, as one line. */
  void transcode(Schema schema, BinaryDecoder in) throws IOException {
    AvroJson.transcode(json, schema, in, scratch);
    endLine();
  }

  /** Hands what the generator buffers to the stream. */
  void flush() throws IOException {
    json.flush();
  }

  long lines() {
    return lines;
  }

  Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    json.close(); // flushes and closes the stream
  }
}
