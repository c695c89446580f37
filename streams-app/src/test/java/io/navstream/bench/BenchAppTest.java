package io.navstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.topology.TopicNames;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchAppTest {
  @Test
  void everyTopicOfARunCarriesTheRunsPrefixSoRunsInOneBrokerShareNone() {
    TopicNames topics = new BenchApp.Run("pipeline-eos-1-", Guarantee.EOS, 6, Map.of()).topics();
    Set<String> names = new HashSet<>(topics.inputs().values());
    names.addAll(topics.outputs().values());

    assertThat(names).hasSize(topics.inputs().size() + topics.outputs().size()); // none repeated
    assertThat(names).allSatisfy(name -> assertThat(name).startsWith("pipeline-eos-1-"));
  }
}
