package io.navstream.fund;

import java.util.List;

/** A fund definition that breaks the rules; the message lists every problem. */
public final class InvalidDefinitionException extends RuntimeException {
  private final List<String> problems;

  public InvalidDefinitionException(String fundId, List<String> problems) {
    super("Invalid definition of fund '" + fundId + "': " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
