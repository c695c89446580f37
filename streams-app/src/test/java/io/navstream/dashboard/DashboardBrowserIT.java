package io.navstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: runs {@code src/test/browser/dashboard.spec.mjs} (node's test
 * runner, playwright-core driving Debian's {@code /usr/bin/chromium}) against a server, and checks
 * that it passed and saved {@code target/dashboard.png}.
 *
 * <p>The server is, for now, {@link FakeNavstreamApi}: the built dashboard from
 * {@code target/classes/dashboard} (built by {@code npm ci && npm run build} in
 * {@code src/main/frontend}, which Maven runs in generate-resources) and canned API answers whose
 * NAVs change on every poll. {@code -Dnavstream.dashboard.url=http://host:port/} (or the
 * {@code NAVSTREAM_DASHBOARD_URL} environment variable) points it at a running app instead.
 *
 * <p>It fails, rather than skips, when node, chromium or the front end's node_modules are missing:
 * {@code .ci/run} installs chromium, and the build runs {@code npm ci}.
 */
class DashboardBrowserIT {

  private static final long TIMEOUT_SECONDS = 180;

  private static Path moduleDir() {
    Path cwd = Path.of("").toAbsolutePath();
    for (Path candidate : List.of(cwd, cwd.resolve("streams-app"))) {
      if (Files.isRegularFile(candidate.resolve("src/test/browser/dashboard.spec.mjs"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("cannot find streams-app/src/test/browser/dashboard.spec.mjs from " + cwd);
  }

  @Test
  void dashboardRendersAndUpdatesInChromium() throws Exception {
    Path module = moduleDir();
    Path spec = module.resolve("src/test/browser/dashboard.spec.mjs");
    Path frontend = module.resolve("src/main/frontend");
    Path dashboard = module.resolve("target/classes/dashboard");
    Path screenshot = module.resolve("target/dashboard.png");
    Path log = module.resolve("target/dashboard-browser.log");
    String chromium = env("NAVSTREAM_CHROMIUM", "/usr/bin/chromium");

    String node = requireNode();
    if (!Files.isExecutable(Path.of(chromium))) {
      fail(chromium + " is missing: the dashboard's browser test needs Debian's chromium "
          + "(apt-get install -y chromium; .ci/run installs it)");
    }
    if (!Files.isDirectory(frontend.resolve("node_modules/playwright-core"))) {
      fail("playwright-core is missing from " + frontend + "/node_modules: run `npm ci` there "
          + "(the Maven build does, in generate-resources)");
    }

    String url = System.getProperty("navstream.dashboard.url", System.getenv("NAVSTREAM_DASHBOARD_URL"));
    FakeNavstreamApi fake = null;
    try {
      if (url == null || url.isBlank()) {
        if (!Files.isRegularFile(dashboard.resolve("index.html"))) {
          fail(dashboard + "/index.html is missing: build the front end (`npm ci && npm run build` in "
              + frontend + ", which Maven runs in generate-resources)");
        }
        fake = new FakeNavstreamApi(dashboard);
        url = fake.baseUrl() + "/";
      }
      Files.deleteIfExists(screenshot);
      Files.createDirectories(log.getParent());

      ProcessBuilder pb = new ProcessBuilder(node, "--test", "--test-reporter=spec", spec.toString())
          .directory(module.toFile())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.put("NAVSTREAM_DASHBOARD_URL", url);
      env.put("NAVSTREAM_DASHBOARD_URL_IS_FAKE", fake != null ? "1" : "0");
      env.put("NAVSTREAM_SCREENSHOT", screenshot.toString());
      env.put("NAVSTREAM_CHROMIUM", chromium);
      env.put("NAVSTREAM_FRONTEND_DIR", frontend.toString());
      env.put("NO_COLOR", "1");
      Process process = pb.start();
      boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail("the browser test did not finish in " + TIMEOUT_SECONDS + " s; its output:\n" + read(log));
      }
      String output = read(log);
      assertThat(process.exitValue())
          .withFailMessage("the browser test against %s failed (exit %d); its output (%s):%n%s",
              url, process.exitValue(), log, output)
          .isZero();
      assertThat(screenshot).withFailMessage("no screenshot at %s; output:%n%s", screenshot, output).isRegularFile();
      assertThat(Files.size(screenshot)).withFailMessage("empty screenshot %s", screenshot).isPositive();
      if (fake != null) {
        assertThat(fake.ticks()).withFailMessage("the page never polled /funds").isGreaterThan(1);
      }
    } finally {
      if (fake != null) {
        fake.close();
      }
    }
  }

  private static String requireNode() throws InterruptedException {
    String node = env("NAVSTREAM_NODE", "node");
    try {
      Process p = new ProcessBuilder(node, "--version").redirectErrorStream(true).start();
      String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("`" + node + " --version` failed: " + version);
      }
      return node;
    } catch (IOException e) {
      fail("node is missing (" + e.getMessage() + "): the dashboard's browser test needs Node.js 18+ on the PATH");
      return null;
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
