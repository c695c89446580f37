package io.navstream.query;

/** An answer other than 2xx, rendered as {@code {"error": message, "status": status}}. */
final class ApiException extends RuntimeException {
  private final int status;
  private final boolean retry;

  ApiException(int status, String message) {
    this(status, message, false);
  }

  private ApiException(int status, String message, boolean retry) {
    super(message, null, false, false);
    this.status = status;
    this.retry = retry;
  }

  /** 503 with {@code Retry-After: 1}: the instance is rebalancing or not ready yet. */
  static ApiException unavailable(String message) {
    return new ApiException(503, message, true);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  int status() {
    return status;
  }

  boolean retry() {
    return retry;
  }
}
