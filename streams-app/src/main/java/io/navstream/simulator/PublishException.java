package io.navstream.simulator;

/** Records could not be published: serialization, the schema registry or Kafka failed. */
public final class PublishException extends RuntimeException {
  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
