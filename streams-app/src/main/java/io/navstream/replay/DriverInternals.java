package io.navstream.replay;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The one way replay reaches {@link TopologyTestDriver}'s private members (Kafka 4.3's names), for
 * what the driver has no API for: {@link DirectPipe}, {@link DriverClock}, {@link InputOffsets}.
 * Each caller has a way on without them.
 */
final class DriverInternals {
  private DriverInternals() {}

  /** The value of the driver's private field {@code name}. */
  static Object field(TopologyTestDriver driver, String name) throws ReflectiveOperationException {
    Field field = TopologyTestDriver.class.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(driver);
  }

  /** The driver's private method {@code name}, made callable. */
  static Method method(String name, Class<?>... parameters) throws NoSuchMethodException {
    Method method = TopologyTestDriver.class.getDeclaredMethod(name, parameters);
    method.setAccessible(true);
    return method;
  }
}
