package io.attach.quickstart;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link QuickStart}, on README.md itself and on Quick starts with a block missing.
 *
 * @author attach
 */
class QuickStartTests {

	private static final String POM = """
			   <!-- quickstart:file pom.xml -->
			   ```xml
			   <project>
			       <artifactId>demo</artifactId>
			   </project>
			   ```
			""";

	private static final String APPLICATION = """
			   <!-- quickstart:file src/main/java/demo/Demo.java -->

			   ```java
			   class Demo {
			   }
			   ```
			""";

	private static final String RUN = """
			   <!-- quickstart:run -->
			   ```bash
			   mvn -B package
			   DATABASE_URL=postgres://app:pw@localhost:5432/app MAIL_FROM=a@example.com java -jar target/demo.jar
			   ```
			""";

	@Test
	void whenTheReadmeIsReadThenEveryBlockOfTheNewApplicationIsFound() {
		QuickStart quickStart = QuickStart.read(Path.of("..", "README.md"));
		assertThat(quickStart.files()).containsKeys("pom.xml", "src/main/resources/application.properties");
		assertThat(quickStart.files().get("pom.xml")).startsWith("<?xml").contains("<artifactId>attach-spring-boot-starter");
		assertThat(quickStart.mavenArguments()).contains("package");
		assertThat(quickStart.jar()).startsWith("target/").endsWith(".jar");
		assertThat(quickStart.environment()).containsKey("DATABASE_URL");
		assertThat(quickStart.logLine()).startsWith("Attached database (jdbc) from DATABASE_URL: ");
		assertThat(quickStart.probes()).containsKeys("/readyz", "/actuator/attachments");
	}

	@Test
	void whenABlockIsIndentedInAListThenItsIndentationIsRemoved() {
		QuickStart quickStart = QuickStart.parse(quickStart(POM, APPLICATION, RUN));
		assertThat(quickStart.files()).containsExactly(
				Map.entry("pom.xml", "<project>\n    <artifactId>demo</artifactId>\n</project>\n"),
				Map.entry("src/main/java/demo/Demo.java", "class Demo {\n}\n"));
	}

	@Test
	void whenTheRunBlockIsReadThenItsCommandsAreTakenApart() {
		QuickStart quickStart = QuickStart.parse(quickStart(POM, APPLICATION, RUN));
		assertThat(quickStart.mavenArguments()).isEqualTo(List.of("-B", "package"));
		assertThat(quickStart.jar()).isEqualTo("target/demo.jar");
		assertThat(quickStart.environment()).containsExactly(
				Map.entry("DATABASE_URL", "postgres://app:pw@localhost:5432/app"), Map.entry("MAIL_FROM", "a@example.com"));
	}

	@Test
	void whenTheProbesBlockIsReadThenEachPathHasTheAnswerShownAfterIt() {
		String probes = """
				<!-- quickstart:probes -->
				```console
				$ curl -s localhost:8080/readyz
				{"status":"UP"}
				$ curl -s http://localhost:8080/actuator/attachments
				{"resources":
				  []}
				```
				""";
		QuickStart quickStart = QuickStart.parse(quickStart(POM, APPLICATION, probes));
		assertThat(quickStart.probes()).containsExactly(Map.entry("/readyz", "{\"status\":\"UP\"}\n"),
				Map.entry("/actuator/attachments", "{\"resources\":\n  []}\n"));
	}

	@Test
	void whenThePomIsMissingThenTheFailureNamesItsMarker() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> QuickStart.parse(quickStart(APPLICATION, RUN)))
			.withMessageContaining("<!-- quickstart:file pom.xml -->");
	}

	@Test
	void whenTheRunBlockIsMissingThenTheFailureNamesItsMarker() {
		QuickStart quickStart = QuickStart.parse(quickStart(POM, APPLICATION));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(quickStart::jar)
			.withMessageContaining("<!-- quickstart:run -->");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(quickStart::logLine)
			.withMessageContaining("<!-- quickstart:log -->");
	}

	@Test
	void whenAMarkerHasNoBlockAfterItThenTheFailureSaysSo() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> QuickStart.parse(quickStart(POM, APPLICATION, "<!-- quickstart:log -->\nSome text.\n")))
			.withMessageContaining("<!-- quickstart:log --> without a fenced code block after it");
	}

	@Test
	void whenABlockIsOutsideTheQuickStartThenItIsNotRead() {
		String readme = quickStart(APPLICATION) + "\n## Next section\n\n" + POM;
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> QuickStart.parse(readme))
			.withMessageContaining("<!-- quickstart:file pom.xml -->");
	}

	private static String quickStart(String... blocks) {
		return "# attach\n\n## Quick start\n\n" + String.join("\n", blocks);
	}

}
