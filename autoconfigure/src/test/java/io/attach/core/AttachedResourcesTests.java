package io.attach.core;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AttachedResources}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class AttachedResourcesTests {

	@Test
	void whenWellKnownResourceIsSetThenItIsAttachedAndLoggedRedacted(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment().withProperty("DATABASE_URL",
				"postgres://app:canary@db/myapp");
		AttachedResources resources = new AttachedResources(ResourceDeclaration.all(environment));
		assertThat(resources.get("database")).hasValueSatisfying((resource) -> {
			assertThat(resource.kind()).isEqualTo(ResourceKind.JDBC);
			assertThat(resource.readiness()).isEqualTo(ReadinessRole.REQUIRED);
		});
		assertThat(output).contains("Attached database (jdbc) from DATABASE_URL: postgres://app:****@db/myapp")
			.doesNotContain("canary");
	}

	@Test
	void whenNamedResourceIsDeclaredThenItIsListedAndSaidNotToBeWired(CapturedOutput output) {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("attach.resources.reports.url", "mariadb://app:canary@reports/db")
			.withProperty("attach.resources.reports.readiness", "degradable");
		AttachedResources resources = new AttachedResources(ResourceDeclaration.all(environment));
		assertThat(resources.all()).extracting(AttachedResource::name).containsExactly("reports");
		assertThat(resources.get("reports").orElseThrow().readiness()).isEqualTo(ReadinessRole.DEGRADABLE);
		assertThat(output).contains("Declared reports (jdbc) from attach.resources.reports.url")
			.contains("not wired to a bean yet")
			.doesNotContain("Attached reports")
			.doesNotContain("canary");
	}

	@Test
	void whenNothingIsSetThenNothingIsAttached() {
		assertThat(new AttachedResources(ResourceDeclaration.all(new MockEnvironment())).all()).isEmpty();
		assertThat(new AttachedResources(List.of()).all()).isEmpty();
	}

}
