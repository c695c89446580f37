package io.navstream.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Confluent wire format (magic byte 0, a 4-byte schema id, the Avro binary body) over a
 * registry's Confluent-compatible API, written from scratch for the tests so that they share no
 * code with navstream's own serdes: what this writes, navstream must read, and what navstream
 * writes, this and the sink's converter must read.
 */
final class ConfluentWire {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte MAGIC = 0;

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubject = new ConcurrentHashMap<>();

  /** @param baseUrl the registry's Confluent-compatible root, e.g. {@code .../apis/ccompat/v7} */
  ConfluentWire(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Registers {@code schema} under {@code subject} (idempotent) and returns the id the registry gives. */
  int register(String subject, Schema schema) {
    String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
    JsonNode answer =
        send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/subjects/" + encode(subject) + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    return answer.path("id").asInt();
  }

  /** The writer schema with this id, as the registry serves it. */
  Schema schema(int id) {
    return schemasById.computeIfAbsent(
        id,
        i -> {
          JsonNode answer =
              send(HttpRequest.newBuilder(URI.create(baseUrl + "/schemas/ids/" + i)).GET().build());
          return new Schema.Parser().parse(answer.path("schema").asText());
        });
  }

  /** {@code record} in the wire format, under the topic-name strategy's subject {@code <topic>-value}. */
  <T extends SpecificRecord> byte[] serialize(String topic, T record) {
    int id = idsBySubject.computeIfAbsent(topic + "-value", s -> register(s, record.getSchema()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(MAGIC);
    out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    SpecificData model = SpecificData.getForClass(type);
    try {
      new SpecificDatumWriter<T>(record.getSchema(), model).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The schema id of a wire-format value. */
  static int schemaId(byte[] value) {
    ByteBuffer buf = ByteBuffer.wrap(value);
    if (buf.get() != MAGIC) {
      throw new IllegalArgumentException("not the Confluent wire format: magic byte " + value[0]);
    }
    return buf.getInt();
  }

  /** Reads a wire-format value with its writer schema (from the registry) into {@code type}. */
  <T extends SpecificRecord> T deserialize(byte[] value, Class<T> type) {
    Schema writer = schema(schemaId(value));
    SpecificData model = SpecificData.getForClass(type);
    Schema reader = model.getSchema(type);
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
    try {
      return new SpecificDatumReader<T>(writer, reader, model).read(null, decoder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GET on any URL that answers JSON (e.g. Apicurio's own API). */
  JsonNode getJson(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private JsonNode send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
