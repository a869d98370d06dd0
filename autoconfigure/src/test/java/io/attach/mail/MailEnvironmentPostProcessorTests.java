package io.attach.mail;

import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link MailEnvironmentPostProcessor}.
 *
 * @author attach
 */
class MailEnvironmentPostProcessorTests {

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void whenMailBackendIsSmtpWithoutSmtpUrlThenStartupFailsBeforeAnyBeanIsCreated() {
		this.environment.setProperty("MAIL_BACKEND", "smtp");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::postProcess)
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("MAIL_BACKEND"));
	}

	@Test
	void whenMailBackendIsSmtpWithSmtpUrlThenStartupGoesOn() {
		this.environment.setProperty("MAIL_BACKEND", "SMTP");
		this.environment.setProperty("SMTP_URL", "smtp://mail:587");
		assertThatNoException().isThrownBy(this::postProcess);
	}

	@Test
	void whenSmtpUrlIsDisabledThenMailBackendSmtpFails() {
		this.environment.setProperty("MAIL_BACKEND", "smtp");
		this.environment.setProperty("SMTP_URL", "smtp://mail:587");
		this.environment.setProperty("attach.resources.mail.enabled", "false");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::postProcess);
	}

	private void postProcess() {
		new MailEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
	}

}
