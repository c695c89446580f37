package io.navstream.serde;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How to reach a Confluent-protocol schema registry.
 *
 * @param url base URL, for example {@code http://localhost:8081} or Apicurio's {@code
 *     http://host:8080/apis/ccompat/v7}; several comma-separated URLs of one registry cluster are
 *     tried in turn when one cannot be reached
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
    if (url.isBlank()) {
      throw new IllegalArgumentException("The schema registry url is empty");
    }
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
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
      throw new IllegalArgumentException("Backoffs must not be negative");
    }
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
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

  /** {@code url} with any {@code user:password@} part replaced, for logs and messages. */
  static String redactUserInfo(String url) {
    return url.replaceAll("(?<=//)[^/@,]+@", "***@");
  }

  /** The base URLs in {@link #url()}, trimmed, in the order given. */
  public List<String> urls() {
    List<String> urls =
        Arrays.stream(url.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList();
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("No schema registry URL in '" + url + "'");
    }
    return urls;
  }

  /** These settings with Basic auth as {@code user:password} (and no bearer token). */
  public RegistrySettings withBasicAuth(String userInfo) {
    return new RegistrySettings(url, userInfo, null, autoRegister, connectTimeout, requestTimeout,
        maxRetries, initialBackoff, maxBackoff);
  }

  /** These settings with a bearer token (and no Basic auth). */
  public RegistrySettings withBearerToken(String token) {
    return new RegistrySettings(url, null, token, autoRegister, connectTimeout, requestTimeout,
        maxRetries, initialBackoff, maxBackoff);
  }

  public RegistrySettings withAutoRegister(boolean register) {
    return new RegistrySettings(url, basicAuthUserInfo, bearerToken, register, connectTimeout,
        requestTimeout, maxRetries, initialBackoff, maxBackoff);
  }

  public RegistrySettings withTimeouts(Duration connect, Duration request) {
    return new RegistrySettings(url, basicAuthUserInfo, bearerToken, autoRegister, connect, request,
        maxRetries, initialBackoff, maxBackoff);
  }

  public RegistrySettings withRetries(int retries, Duration initial, Duration max) {
    return new RegistrySettings(url, basicAuthUserInfo, bearerToken, autoRegister, connectTimeout,
        requestTimeout, retries, initial, max);
  }

  @Override
  public String toString() {
    // Never print credentials.
    return "RegistrySettings[url=" + redactUserInfo(url)
        + ", auth=" + (basicAuthUserInfo != null ? "basic" : bearerToken != null ? "bearer" : "none")
        + ", autoRegister=" + autoRegister + ", maxRetries=" + maxRetries + "]";
  }
}
