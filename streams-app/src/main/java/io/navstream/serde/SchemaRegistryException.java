package io.navstream.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A registry call that failed; the message names the subject (or id) and the registry. */
public class SchemaRegistryException extends SerializationException {
  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message) {
    this(message, -1, -1, null);
  }

  /** HTTP status of the failed call, or -1 when no response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's own error code (such as 40401 subject not found), or -1. */
  public int errorCode() {
    return errorCode;
  }
}
