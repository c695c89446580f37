package io.navstream.topology;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/** PLACEHOLDER: the topology builder. Pure: settings and topics in, Topology out. */
public final class NavTopology {
  private NavTopology() {}

  public static Topology build(TopologySettings settings, Topics topics) {
    return new StreamsBuilder().build();
  }
}
