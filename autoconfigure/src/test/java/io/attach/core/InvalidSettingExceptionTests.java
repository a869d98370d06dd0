package io.attach.core;

import org.junit.jupiter.api.Test;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InvalidSettingException} and {@link InvalidSettingFailureAnalyzer}.
 *
 * @author attach
 */
class InvalidSettingExceptionTests {

	private final InvalidSettingException exception = new InvalidSettingException("MAIL_BACKEND", "is 'carrier-pigeon'",
			"Use smtp or console.");

	@Test
	void whenSettingIsInvalidThenTheMessageNamesItThenSaysWhatToDo() {
		assertThat(this.exception).hasMessage("MAIL_BACKEND is 'carrier-pigeon'. Use smtp or console.");
		assertThat(this.exception.getSetting()).isEqualTo("MAIL_BACKEND");
		assertThat(this.exception.getAction()).isEqualTo("Use smtp or console.");
	}

	@Test
	void whenStartupFailsForAnInvalidSettingThenTheReportSaysWhichSettingToFix() {
		FailureAnalysis analysis = new InvalidSettingFailureAnalyzer()
			.analyze(new IllegalStateException("Error creating bean", this.exception));
		assertThat(analysis).isNotNull();
		// Each said once: what is wrong, then what to do.
		assertThat(analysis.getDescription()).isEqualTo("MAIL_BACKEND is 'carrier-pigeon'.");
		assertThat(analysis.getAction()).isEqualTo("Use smtp or console.");
		assertThat(analysis.getCause()).isSameAs(this.exception);
	}

}
