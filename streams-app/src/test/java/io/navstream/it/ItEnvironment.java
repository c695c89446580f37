package io.navstream.it;

/** Where an integration test finds Kafka and a Confluent-protocol schema registry. */
interface ItEnvironment {
  /** host:port of the Kafka brokers. */
  String bootstrapServers();

  /** Base URL of the Confluent-protocol registry API (Apicurio: {@code .../apis/ccompat/v7}). */
  String registryUrl();
}
