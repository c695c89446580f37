package io.navstream.it;

import io.navstream.app.NavstreamApp;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.PriceTick;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.query.OperatorApi;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One real navstream instance with its operator API on the shared in-process stack, started in the
 * order of {@code run}: HTTP first (port 0 resolves), then the app with {@code application.server}.
 */
public record ApiInstance(OperatorApi api, NavstreamApp app) implements AutoCloseable {

  public static ApiInstance start(NavstreamConfig config) {
    OperatorApi api = OperatorApi.start(config);
    NavstreamApp app = new NavstreamApp(api.withApplicationServer(config));
    api.attach(app);
    app.start();
    return new ApiInstance(api, app);
  }

  public String url() {
    return api.url();
  }

  @Override
  public void close() {
    api.close();
    app.close();
  }

  /** Fresh topic names, so that tests sharing a broker never see each other's records. */
  public static TopicNames topics(String prefix) {
    String p = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    return TopicNames.prefixed(p + ".");
  }

  /** The configuration of an instance on {@code stack}: its topics, port 0, fast commits. */
  public static NavstreamConfig config(SharedStack stack, String appId, TopicNames t, int partitions,
      Map<String, String> extra) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put(ConfigKeys.APPLICATION_ID, appId);
    s.put(ConfigKeys.BOOTSTRAP_SERVERS, stack.bootstrapServers());
    s.put(ConfigKeys.REGISTRY_URL, stack.registryUrl());
    s.put(ConfigKeys.STATE_DIR, stack.newDir("state").toString());
    s.put(ConfigKeys.TOPICS_PARTITIONS, String.valueOf(partitions));
    s.put(ConfigKeys.TOPICS_REPLICATION_FACTOR, "1");
    s.putAll(ConfigKeys.topicSettings(t));
    s.put(ConfigKeys.HTTP_PORT, "0");
    s.put(ConfigKeys.KAFKA_PREFIX + "commit.interval.ms", "100");
    s.putAll(extra);
    return NavstreamConfig.load(null, Map.of()).withOverrides("test", s);
  }

  /** Writes definitions (at {@code definedAt}) and then ticks (at their eventTime), acks=all. */
  public static void produce(SharedStack stack, Topics t, List<FundDefinition> funds,
      long definedAt, List<PriceTick> ticks) {
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
      for (FundDefinition f : funds) {
        String topic = t.fundDefinitions().name();
        p.send(new ProducerRecord<>(topic, null, definedAt, f.getFundId(),
            t.fundDefinitions().valueSerde().serializer().serialize(topic, f))).get();
      }
      for (PriceTick tick : ticks) {
        String topic = t.prices().name();
        p.send(new ProducerRecord<>(topic, null, tick.getEventTime().toEpochMilli(), tick.getSymbol(),
            t.prices().valueSerde().serializer().serialize(topic, tick))).get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("producing to " + t.prices().name(), e.getCause());
    }
  }
}
