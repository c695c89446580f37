package io.navstream.serde;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a Confluent-protocol schema registry.
 *
 * @param url base URL, for example {@code http://localhost:8081} or Apicurio's {@code
 *     http://host:8080/apis/ccompat/v7}
 * @param basicAuthUserInfo {@code user:password} for Basic auth, or null
 * @param bearerToken a token for {@code Authorization: Bearer}, or null
 * @param autoRegister whether serializers register their schema, or only look it up
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout timeout of one HTTP request
 * @param maxRetries retries after the first attempt, for I/O errors, 429 and 5xx answers
 * @param initialBackoff wait before the first retry; doubled each time up to {@code maxBackoff}
 * @param maxBackoff cap of the wait between retries
 */
public record RegistrySettings(
    String url,
    String basicAuthUserInfo,
    String bearerToken,
    boolean autoRegister,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff) {

  public RegistrySettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (basicAuthUserInfo != null && bearerToken != null) {
      throw new IllegalArgumentException("Use Basic auth or a bearer token for the registry, not both");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
    }
  }

  /** Defaults for a registry at {@code url}: no auth, auto-register, 5 s timeouts, 3 retries. */
  public static RegistrySettings of(String url) {
    return new RegistrySettings(
        url,
        null,
        null,
        true,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        3,
        Duration.ofMillis(100),
        Duration.ofSeconds(2));
  }

  @Override
  public String toString() {
    // Never print credentials.
    return "RegistrySettings[url=" + url
        + ", auth=" + (basicAuthUserInfo != null ? "basic" : bearerToken != null ? "bearer" : "none")
        + ", autoRegister=" + autoRegister + ", maxRetries=" + maxRetries + "]";
  }
}
