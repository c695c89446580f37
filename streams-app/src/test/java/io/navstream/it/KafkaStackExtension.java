package io.navstream.it;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link KafkaStack} per test class (before all its tests) and injects it into test
 * methods and lifecycle methods that declare a {@code KafkaStack} parameter. The stack lives in the
 * class's extension store, which closes it after the class's last test.
 */
final class KafkaStackExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    stack(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stack(context);
  }

  private static KafkaStack stack(ExtensionContext context) {
    // Kept in the class-level store, so that it lives as long as the class's tests.
    ExtensionContext classContext = classContextOf(context);
    return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(
        KafkaStack.class,
        key -> KafkaStack.start(classContext.getRequiredTestClass().getSimpleName()),
        KafkaStack.class);
  }

  private static ExtensionContext classContextOf(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }
}
