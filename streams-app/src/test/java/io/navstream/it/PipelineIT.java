package io.navstream.it;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PipelineScenario} on the embedded KRaft broker and Apicurio Registry. */
@ExtendWith(KafkaStackExtension.class)
class PipelineIT extends PipelineScenario {
  private KafkaStack stack;

  @BeforeEach
  void useStack(KafkaStack stack) {
    this.stack = stack;
  }

  @Override
  protected ItEnvironment environment() {
    return stack;
  }
}
