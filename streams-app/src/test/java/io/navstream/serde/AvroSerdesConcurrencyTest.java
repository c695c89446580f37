package io.navstream.serde;

import static io.navstream.serde.Records.T0;
import static io.navstream.serde.Records.fundState;
import static io.navstream.serde.Records.priceTick;
import static org.assertj.core.api.Assertions.assertThat;

import io.navstream.avro.FundState;
import io.navstream.avro.PriceTick;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One serde shared by several threads, as Kafka Streams shares it between stream threads. */
class AvroSerdesConcurrencyTest {
  private static final int THREADS = 4;
  private static final int RECORDS_PER_THREAD = 2_000;

  private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  @Test
  void threadsSharingOneSerdeProduceIdenticalCorrectBytes() throws Exception {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    // Expected bytes come from a separate serde, so the shared one starts with cold caches and
    // its threads race on the first record of each topic.
    AvroSerdes reference = new AvroSerdes(registry, true);
    List<PriceTick> ticks = new ArrayList<>();
    List<byte[]> expectedTicks = new ArrayList<>();
    for (int i = 0; i < RECORDS_PER_THREAD; i++) {
      PriceTick tick = priceTick("SYM" + (i % 17), i + ".123456789", T0.plusMillis(i));
      ticks.add(tick);
      expectedTicks.add(reference.forValues(PriceTick.class).serializer().serialize("prices", tick));
    }
    FundState state = fundState("BTC3S");
    byte[] expectedState = reference.forValues(FundState.class).serializer().serialize("fund-state", state);

    CountingRegistry counting = new CountingRegistry(registry);
    AvroSerdes shared = new AvroSerdes(counting, true);
    Serde<PriceTick> tickSerde = shared.forValues(PriceTick.class);
    Serde<FundState> stateSerde = shared.forValues(FundState.class);
    CyclicBarrier start = new CyclicBarrier(THREADS);

    List<Future<Integer>> mismatches = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int offset = t * 397; // each thread walks the records from another place
      mismatches.add(executor.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        int wrong = 0;
        for (int n = 0; n < RECORDS_PER_THREAD; n++) {
          int i = (n + offset) % RECORDS_PER_THREAD;
          byte[] bytes = tickSerde.serializer().serialize("prices", ticks.get(i));
          if (!Arrays.equals(bytes, expectedTicks.get(i))
              || !ticks.get(i).equals(tickSerde.deserializer().deserialize("prices", bytes))) {
            wrong++;
          }
          if (n % 100 == 0) {
            byte[] stateBytes = stateSerde.serializer().serialize("fund-state", state);
            if (!Arrays.equals(stateBytes, expectedState)
                || !state.equals(stateSerde.deserializer().deserialize("fund-state", stateBytes))) {
              wrong++;
            }
          }
        }
        return wrong;
      }));
    }

    for (Future<Integer> wrong : mismatches) {
      assertThat(wrong.get(60, TimeUnit.SECONDS)).isZero();
    }
    // At most one registry call per thread and topic on first use, and none afterwards.
    assertThat(counting.registerCalls.get()).isBetween(2, 2 * THREADS);
    counting.reset();
    byte[] again = tickSerde.serializer().serialize("prices", ticks.get(0));
    tickSerde.deserializer().deserialize("prices", again);
    assertThat(counting.totalCalls()).isZero();
  }
}
