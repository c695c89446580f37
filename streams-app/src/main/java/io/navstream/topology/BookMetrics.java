package io.navstream.topology;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * navstream's own metrics, registered in Kafka Streams' metrics registry (so they show in JMX and
 * {@code KafkaStreams.metrics()}) under group {@code stream-navstream-metrics}, one set per task.
 * Each is a rate and a total: {@code ticks-*}, {@code nav-updates-*}, {@code rebalances-<reason>-*}
 * and {@code dead-letters-<reason>-*}; and {@code price-to-nav-latency-avg} / {@code -max} (ms) with
 * {@code price-to-nav-total}: the wall-clock lag from a tick's eventTime to its NAV updates' output.
 */
final class BookMetrics {
  static final String SCOPE = "navstream";

  private final StreamsMetrics metrics;
  private final String taskId;
  // Created on first use, so a task only shows the metrics that apply to it.
  private final Map<String, Sensor> sensors = new HashMap<>();
  // The two recorded per tick and per fund, held directly: no lookup on the hot path.
  private Sensor ticks;
  private Sensor navUpdates;
  private Sensor priceToNav;

  BookMetrics(StreamsMetrics metrics, String taskId) {
    this.metrics = metrics;
    this.taskId = taskId;
  }

  void tick() {
    if (ticks == null) {
      ticks = sensor("ticks");
    }
    ticks.record();
  }

  void navUpdate() {
    if (navUpdates == null) {
      navUpdates = sensor("nav-updates");
    }
    navUpdates.record();
  }

  /**
   * Records, once per tick that valued funds, the wall clock now minus the tick's eventTime: how
   * far NAV output trails the market (the wall clock serves this metric only, never an output).
   */
  void priceToNav(java.time.Instant eventTime) {
    if (priceToNav == null) {
      priceToNav = sensors.computeIfAbsent("price-to-nav", op ->
          metrics.addLatencyRateTotalSensor(SCOPE, taskId, op, Sensor.RecordingLevel.INFO));
    }
    long now = System.currentTimeMillis();
    priceToNav.record(now - eventTime.toEpochMilli(), now);
  }

  void rebalance(io.navstream.fund.RebalanceReason reason) {
    sensor("rebalances-" + name(reason)).record();
  }

  /** A flow answered: {@code flows-accepted} or {@code flows-rejected}. */
  void flow(boolean accepted) {
    sensor(accepted ? "flows-accepted" : "flows-rejected").record();
  }

  void corporateAction(io.navstream.fund.CorporateAction.Type type) {
    sensor("corporate-actions-" + name(type)).record();
  }

  void deadLetter(DeadLetters.Reason reason) {
    sensor("dead-letters-" + name(reason)).record();
  }

  void close() {
    sensors.values().forEach(metrics::removeSensor);
    sensors.clear();
    ticks = null;
    navUpdates = null;
    priceToNav = null;
  }

  private Sensor sensor(String operation) {
    return sensors.computeIfAbsent(operation,
        op -> metrics.addRateTotalSensor(SCOPE, taskId, op, Sensor.RecordingLevel.INFO));
  }

  private static String name(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
