package io.navstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.serde.AvroSerdes;
import io.navstream.serde.InMemorySchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Pins the topology's shape. Kafka Streams finds state by store and topic names; a renamed
 * processor, store or internal topic silently starts from empty state. If this test fails on
 * purpose, plan the migration (see the README, "Changing the topology"), then regenerate the file
 * with -Dnavstream.updateTopology=true.
 */
class NavTopologyDescriptionTest {
  private static final String RESOURCE = "/topology/navstream-topology.txt";

  @Test
  void topologyDescriptionIsPinned() throws IOException {
    Topics topics = new Topics(TopicNames.defaults(), new AvroSerdes(new InMemorySchemaRegistry(), true));
    String actual = NavTopology.build(TopologySettings.live(6), topics).describe().toString();
    if (Boolean.getBoolean("navstream.updateTopology")) {
      Files.writeString(Path.of("src/test/resources" + RESOURCE), actual);
    }
    try (InputStream in = getClass().getResourceAsStream(RESOURCE)) {
      assertThat(in).as("pinned description " + RESOURCE).isNotNull();
      assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void noInternalResourceHasAGeneratedName() {
    Topics topics = new Topics(TopicNames.defaults(), new AvroSerdes(new InMemorySchemaRegistry(), true));
    String description = NavTopology.build(TopologySettings.live(6), topics).describe().toString();
    assertThat(description).doesNotContain("KSTREAM-", "KTABLE-", "STATE-STORE-")
        .contains("fund-books", "underlying-marks", "fund-registry", "fund-definitions-by-underlying-repartition");
  }
}
