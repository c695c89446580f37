package io.navstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a bench command's results: {@code results.json} (machine, settings, notes, every sample
 * and the summaries), {@code results.csv} (the summaries), {@code results.md} (the markdown table
 * BENCHMARKS.md quotes) and {@code chart.svg} (the throughput medians with their min-max range).
 */
final class BenchReport {
  static final String JSON = "results.json";
  static final String CSV = "results.csv";
  static final String MARKDOWN = "results.md";
  static final String CHART = "chart.svg";

  private BenchReport() {}

  static void write(Path dir, String command, Machine machine, double loadAtEnd,
      BenchSettings settings, Results results) throws IOException {
    Files.createDirectories(dir);
    List<Results.Summary> summaries = results.summaries();

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", command);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", machine.cores());
    m.put("memoryBytes", machine.memoryBytes());
    m.put("java", machine.java());
    m.put("vm", machine.vm());
    m.put("os", machine.os());
    m.put("maxHeapBytes", machine.maxHeapBytes());
    m.put("started", machine.started().toString());
    m.put("loadAverageAtStart", machine.loadAtStart());
    json.put("machine", m);
    json.put("finished", Instant.now().toString());
    json.put("loadAverageAtEnd", loadAtEnd);
    json.put("settings", settings);
    json.put("notes", results.notes());
    json.put("summaries", summaries);
    json.put("samples", results.samples());
    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve(JSON).toFile(), json);

    StringBuilder csv = new StringBuilder("scenario,config,metric,unit,runs,median,min,max\n");
    for (Results.Summary s : summaries) {
      csv.append(String.join(",", quote(s.scenario()), quote(s.config()), quote(s.metric()),
          quote(s.unit()), Integer.toString(s.runs()), number(s.median()), number(s.min()),
          number(s.max()))).append('\n');
    }
    Files.writeString(dir.resolve(CSV), csv);
    Files.writeString(dir.resolve(MARKDOWN), markdown(command, machine, loadAtEnd, results));
    Files.writeString(dir.resolve(CHART), Chart.svg(summaries));
  }

  static String markdown(String command, Machine machine, double loadAtEnd, Results results) {
    StringBuilder md = new StringBuilder();
    md.append("Command: `").append(command).append("`  \n");
    md.append("Machine: ").append(machine.summary()).append("  \n");
    md.append(String.format(Locale.ROOT, "Started %s; load average %.2f at start, %.2f at end%n%n",
        machine.started(), machine.loadAtStart(), loadAtEnd));
    md.append(table(results.summaries()));
    md.append('\n');
    for (String note : results.notes()) {
      md.append("- ").append(note).append('\n');
    }
    return md.toString();
  }

  /** The summaries as a markdown table: median, min and max over the runs. */
  static String table(List<Results.Summary> summaries) {
    StringBuilder md = new StringBuilder(
        "| scenario | configuration | figure | median | min | max | unit | runs |\n"
            + "| --- | --- | --- | ---: | ---: | ---: | --- | ---: |\n");
    for (Results.Summary s : summaries) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %d |%n",
          s.scenario(), s.config(), s.metric(), human(s.median(), s.unit()), human(s.min(), s.unit()),
          human(s.max(), s.unit()), s.unit(), s.runs()));
    }
    return md.toString();
  }

  static String human(double value, String unit) {
    if (unit.equals("ratio")) {
      return String.format(Locale.ROOT, "%.3f", value);
    }
    if (unit.equals("ms")) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%,.0f", value);
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** A horizontal bar chart of the ticks/s figures, one panel per scenario, bars to scale. */
  static final class Chart {
    private static final int WIDTH = 900;
    private static final int LABEL = 330;
    private static final int BAR = 16;
    private static final int GAP = 6;

    private Chart() {}

    static String svg(List<Results.Summary> summaries) {
      Map<String, List<Results.Summary>> panels = new LinkedHashMap<>();
      for (Results.Summary s : summaries) {
        if (s.unit().equals("ticks/s")) {
          panels.computeIfAbsent(s.scenario(), k -> new ArrayList<>()).add(s);
        }
      }
      StringBuilder body = new StringBuilder();
      int y = 30;
      for (var panel : panels.entrySet()) {
        double max = panel.getValue().stream().mapToDouble(Results.Summary::max).max().orElse(1);
        body.append(String.format(Locale.ROOT,
            "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s (ticks/s, median; whisker = min..max)</text>%n",
            y, escape(panel.getKey())));
        y += 10;
        for (Results.Summary s : panel.getValue()) {
          double scale = (WIDTH - LABEL - 110) / max;
          int w = (int) Math.round(s.median() * scale);
          int x0 = LABEL + (int) Math.round(s.min() * scale);
          int x1 = LABEL + (int) Math.round(s.max() * scale);
          String fill = s.metric().startsWith("navstream") || s.metric().equals("replay")
              ? "#2b6cb0" : "#a0aec0";
          body.append(String.format(Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL - 6, y + BAR - 4,
              escape(s.config() + " · " + s.metric())));
          body.append(String.format(Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n", LABEL, y, w, BAR, fill));
          body.append(String.format(Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0, y + BAR / 2, x1,
              y + BAR / 2));
          body.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n",
              Math.max(x1, LABEL + w) + 6, y + BAR - 4, human(s.median(), s.unit())));
          y += BAR + GAP;
        }
        y += 24;
      }
      return String.format(Locale.ROOT,
          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
              + " font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n%s</svg>%n",
          WIDTH, y, body);
    }

    private static String escape(String s) {
      return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
  }
}
