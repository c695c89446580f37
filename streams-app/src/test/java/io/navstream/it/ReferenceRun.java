package io.navstream.it;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import io.navstream.serde.AvroSerdes;
import io.navstream.serde.InMemorySchemaRegistry;
import io.navstream.topology.NavTopology;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import io.navstream.topology.TopologySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * What navstream's topology makes of a list of inputs, run through TopologyTestDriver in exactly
 * the given order, with an in-memory schema registry: the expectation live runs are held to.
 *
 * <p>The topology is built as {@code run} builds it ({@link TopologySettings#live}: RocksDB stores
 * with changelogs), with the same topic names, so dead letters name the same source topics.
 */
final class ReferenceRun {
  private ReferenceRun() {}

  static RunOutputs run(TopicNames names, int partitions, List<? extends Input> inputs) {
    // Under target/, not the OS temp directory Kafka Streams warns about.
    Path stateDir = KafkaStack.newWorkDir("reference");
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    Topics topics = new Topics(names, new AvroSerdes(registry, true));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "navstream-reference");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(NavTopology.requiredStreamsConfig(names));
    try (TopologyTestDriver driver = new TopologyTestDriver(
        NavTopology.build(TopologySettings.live(partitions), topics), props)) {
      StringSerializer keys = new StringSerializer();
      TestInputTopic<String, FundDefinition> definitions = driver.createInputTopic(
          names.fundDefinitions(), keys, topics.fundDefinitions().valueSerde().serializer());
      TestInputTopic<String, PriceTick> prices = driver.createInputTopic(
          names.prices(), keys, topics.prices().valueSerde().serializer());
      TestInputTopic<String, FundingRate> funding = driver.createInputTopic(
          names.fundingRates(), keys, topics.fundingRates().valueSerde().serializer());
      for (Input input : inputs) {
        if (input instanceof Input.Definition d) {
          definitions.pipeInput(d.key(), d.value(), d.timestamp());
        } else if (input instanceof Input.Retirement r) {
          definitions.pipeInput(r.key(), null, r.timestamp());
        } else if (input instanceof Input.Price p) {
          prices.pipeInput(p.key(), p.value(), p.timestamp());
        } else if (input instanceof Input.Funding f) {
          funding.pipeInput(f.key(), f.value(), f.timestamp());
        }
      }
      RunOutputs outputs = new RunOutputs(topics);
      for (String topic : RunOutputs.topics(names)) {
        TestOutputTopic<String, byte[]> out = driver.createOutputTopic(
            topic, new StringDeserializer(), new ByteArrayDeserializer());
        for (TestRecord<String, byte[]> r : out.readRecordsToList()) {
          outputs.add(topic, r.key(), r.value(), r.timestamp(), r.headers());
        }
      }
      return outputs;
    } finally {
      registry.close();
      KafkaStack.deleteRecursively(stateDir);
    }
  }
}
