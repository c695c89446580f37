package io.navstream.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Instant;
import java.util.Locale;

/** Where and when the figures were measured, for the report. */
record Machine(int cores, long memoryBytes, String java, String vm, String os, long maxHeapBytes,
    Instant started, double loadAtStart) {

  static Machine describe() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long memory = os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getTotalMemorySize() : -1;
    return new Machine(Runtime.getRuntime().availableProcessors(), memory,
        System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"),
        Runtime.getRuntime().maxMemory(), Instant.now(), os.getSystemLoadAverage());
  }

  /** The 1-minute load average now. */
  static double loadNow() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  String summary() {
    return String.format(Locale.ROOT, "%d cores, %.1f GiB memory, Java %s (%s), %s, max heap %.1f GiB",
        cores, memoryBytes / (double) (1L << 30), java, vm, os, maxHeapBytes / (double) (1L << 30));
  }
}
