package io.navstream.app;

/** navstream's topics are missing, mis-shaped, or Kafka could not be asked about them. */
public final class TopicProvisioningException extends RuntimeException {
  public TopicProvisioningException(String message) {
    super(message);
  }

  public TopicProvisioningException(String message, Throwable cause) {
    super(message, cause);
  }
}
