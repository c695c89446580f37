package io.navstream.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.navstream.compose.ComposeFile.Mount;
import io.navstream.compose.ComposeFile.PortMapping;
import io.navstream.compose.DockerfileModel.Copy;
import io.navstream.compose.DockerfileModel.Stage;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The readers behind {@link DockerComposeFileTest}: if they misread, its checks mean nothing. */
class ComposeToolingTest {

  private static ComposeFile yaml(String text, Map<String, String> env) {
    return ComposeFile.parse(Path.of("."), new StringReader(text), env);
  }

  // --- interpolation

  @Test
  void interpolatesLikeCompose() {
    Map<String, String> env = Map.of("SET", "v", "EMPTY", "");
    assertThat(ComposeFile.interpolate("${UNSET:-6}", env)).isEqualTo("6");
    assertThat(ComposeFile.interpolate("${SET:-6}", env)).isEqualTo("v");
    assertThat(ComposeFile.interpolate("${EMPTY:-d}", env)).isEqualTo("d");
    assertThat(ComposeFile.interpolate("${EMPTY-d}", env)).isEmpty();
    assertThat(ComposeFile.interpolate("${UNSET-d}", env)).isEqualTo("d");
    assertThat(ComposeFile.interpolate("${SET:+alt}/${UNSET:+alt}", env)).isEqualTo("alt/");
    assertThat(ComposeFile.interpolate("a $SET ${SET} b", env)).isEqualTo("a v v b");
    assertThat(ComposeFile.interpolate("--topic \"$$@\" costs $$5", env)).isEqualTo("--topic \"$@\" costs $5");
  }

  @Test
  void anUnsetVariableWithoutDefaultIsAnError() {
    assertThatThrownBy(() -> ComposeFile.interpolate("x ${NOPE} y", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NOPE");
    assertThatThrownBy(() -> ComposeFile.interpolate("${NOPE:?set it}", Map.of()))
        .hasMessageContaining("set it");
  }

  // --- YAML

  @Test
  void resolvesAnchorsAndMergeKeysAndInterpolatesValuesOnly() {
    ComposeFile f =
        yaml(
            """
            x-env: &env
              A: "${P:-1}"
              B: "b"
            x-deps: &deps
              db:
                condition: service_healthy
            services:
              db:
                image: postgres:16
              app:
                image: app:1
                environment:
                  <<: *env
                  B: "override"
                  C: "c"
                depends_on: *deps
              other:
                image: app:1
                environment:
                  - "A=${P:-1}"
                  - HOST_ONLY
                depends_on: [db]
            """,
            Map.of("P", "7"));
    assertThat(f.environment("app")).containsExactly(Map.entry("A", "7"), Map.entry("B", "override"), Map.entry("C", "c"));
    assertThat(f.environment("other")).containsEntry("A", "7").containsEntry("HOST_ONLY", null);
    assertThat(f.dependsOn("app")).isEqualTo(Map.of("db", "service_healthy"));
    assertThat(f.dependsOn("other")).isEqualTo(Map.of("db", "service_started"));
    assertThat(f.serviceNames()).containsExactly("db", "app", "other");
  }

  @Test
  void rejectsDuplicateKeysAsComposeDoes() {
    assertThatThrownBy(() -> yaml("services:\n  a:\n    image: x:1\n    image: y:1\n", Map.of()))
        .hasMessageContaining("image");
  }

  @Test
  void readsPortsVolumesAndHealthchecksInBothSyntaxes() {
    ComposeFile f =
        yaml(
            """
            services:
              s:
                image: s:1
                ports:
                  - "127.0.0.1:8081:8080"
                  - "9094:9094/udp"
                  - "8080"
                  - target: 7000
                    published: "7001"
                volumes:
                  - data:/var/data
                  - ./conf:/etc/conf:ro
                  - /var/anon
                healthcheck:
                  test: curl -f http://localhost/
            """,
            Map.of());
    assertThat(f.ports("s"))
        .containsExactly(
            new PortMapping("127.0.0.1", "8081", 8080, "tcp"),
            new PortMapping(null, "9094", 9094, "udp"),
            new PortMapping(null, null, 8080, "tcp"),
            new PortMapping(null, "7001", 7000, "tcp"));
    assertThat(f.volumes("s"))
        .containsExactly(
            new Mount("volume", "data", "/var/data"),
            new Mount("bind", "./conf", "/etc/conf"),
            new Mount("volume", null, "/var/anon"));
    assertThat(f.healthcheckTest("s")).containsExactly("CMD-SHELL", "curl -f http://localhost/");
  }

  // --- Dockerfile

  @Test
  void readsStagesCopiesAndExecForms() {
    DockerfileModel d =
        DockerfileModel.parse(
            """
            # syntax=docker/dockerfile:1
            ARG V=1
            FROM maven:3.9 AS build
            WORKDIR /src
            COPY pom.xml ./
            RUN --mount=type=cache,target=/root/.m2 \\
                # a comment inside a continuation
                mvn package
            FROM --platform=linux/amd64 eclipse-temurin:17-jre
            COPY --from=build --chown=1:1 /src/target/a.jar /app/a.jar
            ENTRYPOINT ["java", "-jar", "/app/a.jar"]
            CMD run
            """);
    assertThat(d.stages()).extracting(Stage::image).containsExactly("maven:3.9", "eclipse-temurin:17-jre");
    assertThat(d.stages()).extracting(Stage::name).containsExactly("build", null);
    Stage build = d.stage("build").orElseThrow();
    assertThat(build.workdir()).isEqualTo("/src");
    assertThat(build.all("RUN")).singleElement().satisfies(r -> assertThat(r.arguments()).contains("mvn package").doesNotContain("comment"));
    assertThat(d.finalStage().copies())
        .containsExactly(new Copy("COPY", "build", List.of("/src/target/a.jar"), "/app/a.jar"));
    assertThat(DockerfileModel.execForm(d.finalStage().last("ENTRYPOINT").orElseThrow()))
        .contains(List.of("java", "-jar", "/app/a.jar"));
    assertThat(DockerfileModel.execForm(d.finalStage().last("CMD").orElseThrow())).isEmpty();
  }

  @Test
  void tagsMustBeExplicitAndNotLatest() {
    assertThat(DockerComposeFileTest.hasExplicitTag("apache/kafka:4.1.0")).isTrue();
    assertThat(DockerComposeFileTest.hasExplicitTag("localhost:5000/navstream:1")).isTrue();
    assertThat(DockerComposeFileTest.hasExplicitTag("img@sha256:abc")).isTrue();
    assertThat(DockerComposeFileTest.hasExplicitTag("apache/kafka")).isFalse();
    assertThat(DockerComposeFileTest.hasExplicitTag("localhost:5000/navstream")).isFalse();
    assertThat(DockerComposeFileTest.hasExplicitTag("apache/kafka:latest")).isFalse();
  }

  // --- .dockerignore

  @Test
  void matchesDockerignoreLikeDocker() {
    DockerIgnore ignore =
        DockerIgnore.parse(
            """
            # comment
            *
            !pom.xml
            !schemas/
            **/target/
            *.md
            !README.md
            """);
    assertThat(ignore.excludes("pom.xml")).isFalse();
    assertThat(ignore.excludes("mvnw")).isTrue();
    assertThat(ignore.excludes(".git/HEAD")).isTrue();
    assertThat(ignore.excludes("schemas")).isFalse();
    assertThat(ignore.excludes("schemas/src/main/avro/A.avsc")).isFalse();
    assertThat(ignore.excludes("schemas/target/a.jar")).isTrue();
    assertThat(ignore.excludes("target")).isTrue();
    assertThat(ignore.excludes("NOTES.md")).isTrue();
    assertThat(ignore.excludes("README.md")).isFalse();
    DockerIgnore deep = DockerIgnore.parse("docs/**/*.png");
    assertThat(deep.excludes("docs/a/b/c.png")).isTrue();
    assertThat(deep.excludes("docs/c.png")).as("** is also zero directories").isTrue();
    assertThat(deep.excludes("other/c.png")).isFalse();
    assertThat(DockerIgnore.parse("*.md").excludes("docs/a.md")).as("* stays in one segment").isFalse();
    assertThat(DockerIgnore.parse("").excludes("anything")).isFalse();
  }
}
