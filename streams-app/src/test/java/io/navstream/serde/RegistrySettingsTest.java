package io.navstream.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistrySettingsTest {

  @Test
  void splitsCommaSeparatedUrls() {
    RegistrySettings settings = RegistrySettings.of(" http://a:8081, http://b:8081/ ,");

    assertThat(settings.urls()).containsExactly("http://a:8081", "http://b:8081/");
  }

  @Test
  void neverPrintsCredentials() {
    RegistrySettings settings =
        RegistrySettings.of("https://user:pw@registry:8081").withBasicAuth("alice:secret");

    assertThat(settings.toString())
        .doesNotContain("secret")
        .doesNotContain("pw")
        .contains("https://***@registry:8081")
        .contains("auth=basic");
  }

  @Test
  void withersChangeOnlyTheirField() {
    RegistrySettings base = RegistrySettings.of("http://r:8081");

    RegistrySettings changed = base.withBearerToken("t").withAutoRegister(false)
        .withRetries(7, Duration.ofMillis(3), Duration.ofMillis(30));

    assertThat(changed.bearerToken()).isEqualTo("t");
    assertThat(changed.autoRegister()).isFalse();
    assertThat(changed.maxRetries()).isEqualTo(7);
    assertThat(changed.initialBackoff()).isEqualTo(Duration.ofMillis(3));
    assertThat(changed.url()).isEqualTo(base.url());
    assertThat(changed.requestTimeout()).isEqualTo(base.requestTimeout());
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> RegistrySettings.of(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistrySettings.of("http://r")
            .withRetries(-1, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> new RegistrySettings("http://r", "a:b", "token", true,
            Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> RegistrySettings.of("http://r").withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("connectTimeout");
  }
}
