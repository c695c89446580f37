package io.navstream.compose;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Dockerfile read into stages and instructions, enough to check what a build copies and runs:
 * comment lines (parser directives included) are dropped, backslash continuations joined, and
 * COPY, ENTRYPOINT and CMD split into their parts. It does not expand ARGs or heredocs.
 */
record DockerfileModel(List<Stage> stages) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One instruction: its upper-cased keyword, its arguments as written, and its first line. */
  record Instruction(String keyword, String arguments, int line) {}

  /** One {@code FROM} and the instructions up to the next. */
  record Stage(String image, String name, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Optional<Instruction> last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** The stage's last WORKDIR, or "/" (relative WORKDIRs are not combined). */
    String workdir() {
      return last("WORKDIR").map(Instruction::arguments).orElse("/");
    }

    List<Copy> copies() {
      List<Copy> out = new ArrayList<>();
      for (Instruction i : instructions) {
        if (i.keyword().equals("COPY") || i.keyword().equals("ADD")) {
          out.add(Copy.parse(i));
        }
      }
      return out;
    }
  }

  /** A COPY or ADD: {@code from} is the stage (or image) of {@code --from}, null for the context. */
  record Copy(String keyword, String from, List<String> sources, String destination) {
    static Copy parse(Instruction i) {
      List<String> words = new ArrayList<>();
      String from = null;
      List<String> tokens = Arrays.asList(i.arguments().trim().split("\\s+"));
      int k = 0;
      while (k < tokens.size() && tokens.get(k).startsWith("--")) {
        String flag = tokens.get(k++);
        if (flag.startsWith("--from=")) {
          from = flag.substring("--from=".length());
        }
      }
      String rest = String.join(" ", tokens.subList(k, tokens.size()));
      if (rest.startsWith("[")) {
        words.addAll(jsonArray(rest, i));
      } else {
        words.addAll(Arrays.asList(rest.split("\\s+")));
      }
      if (words.size() < 2) {
        throw new IllegalArgumentException("line " + i.line() + ": " + i.keyword() + " needs a source and a destination");
      }
      return new Copy(
          i.keyword(), from, List.copyOf(words.subList(0, words.size() - 1)), words.get(words.size() - 1));
    }
  }

  static DockerfileModel parse(String text) {
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    String[] lines = text.split("\r?\n", -1);
    StringBuilder pending = null;
    int pendingLine = 0;
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n];
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue; // comments are dropped, even inside a continued instruction
      }
      if (pending == null) {
        if (trimmed.isEmpty()) {
          continue;
        }
        pending = new StringBuilder();
        pendingLine = n + 1;
      }
      boolean continues = trimmed.endsWith("\\");
      pending.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
      if (continues) {
        continue;
      }
      String instruction = pending.toString().strip();
      pending = null;
      int space = instruction.indexOf(' ');
      String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT);
      String arguments = space < 0 ? "" : instruction.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] parts = arguments.split("\\s+");
        List<String> words = new ArrayList<>();
        for (String p : parts) {
          if (!p.startsWith("--")) {
            words.add(p);
          }
        }
        String name =
            words.size() >= 3 && words.get(1).equalsIgnoreCase("AS") ? words.get(2) : null;
        current = new ArrayList<>();
        stages.add(new Stage(words.get(0), name, current));
      } else if (current == null) {
        if (!keyword.equals("ARG")) {
          throw new IllegalArgumentException("line " + pendingLine + ": " + keyword + " before FROM");
        }
      } else {
        current.add(new Instruction(keyword, arguments, pendingLine));
      }
    }
    if (pending != null) {
      throw new IllegalArgumentException("the last instruction ends with a line continuation");
    }
    return new DockerfileModel(List.copyOf(stages));
  }

  Stage finalStage() {
    return stages.get(stages.size() - 1);
  }

  Optional<Stage> stage(String name) {
    return stages.stream().filter(s -> name.equals(s.name())).findFirst();
  }

  /** The exec form of ENTRYPOINT or CMD as its argument list; empty if the shell form is used. */
  static Optional<List<String>> execForm(Instruction i) {
    String args = i.arguments();
    if (!args.startsWith("[")) {
      return Optional.empty();
    }
    return Optional.of(jsonArray(args, i));
  }

  private static List<String> jsonArray(String json, Instruction i) {
    try {
      return MAPPER.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "line " + i.line() + ": " + i.keyword() + " is not a JSON array of strings: " + json, e);
    }
  }
}
