package io.attach.core;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InvalidResourceUrlFailureAnalyzer}.
 *
 * @author attach
 */
class InvalidResourceUrlFailureAnalyzerTests {

	@Test
	void whenStartupFailsForABadUrlThenTheReportNamesTheSettingTheProblemAndTheFixWithoutThePassword() {
		InvalidResourceUrlException cause = new InvalidResourceUrlException("DATABASE_URL",
				"postgres://app:canary@db:99999/myapp", "has an invalid port", "Fix the port.");
		FailureAnalysis analysis = new InvalidResourceUrlFailureAnalyzer()
			.analyze(new IllegalStateException("Error creating bean", cause));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo(String.format(
				"DATABASE_URL is not a usable URL.%n%n    Value:  postgres://app:****@db:99999/myapp%n"
						+ "    Reason: it has an invalid port."));
		assertThat(analysis.getAction()).isEqualTo("Fix DATABASE_URL. Fix the port.");
		assertThat(analysis.getCause()).isSameAs(cause);
	}

	@Test
	void whenUrlIsInvalidThenTheExceptionKeepsOnlyTheRedactedUrl() {
		InvalidResourceUrlException ex = new InvalidResourceUrlException("REDIS_URL", "redis://canary@cache:6379",
				"has a problem", "Do something.");
		assertThat(ex).hasMessage("REDIS_URL (redis://****@cache:6379) has a problem");
		assertThat(ex.getRedactedUrl()).isEqualTo("redis://****@cache:6379");
		assertThat(ex.getProblem()).isEqualTo("has a problem");
		assertThat(ex.getAction()).isEqualTo("Do something.");
		assertThat(ex.getSetting()).isEqualTo("REDIS_URL");
	}

}
