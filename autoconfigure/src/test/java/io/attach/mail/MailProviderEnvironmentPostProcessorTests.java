package io.attach.mail;

import io.attach.core.Backends;
import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;
import io.attach.core.ResourceUrl;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MailProviderEnvironmentPostProcessor}.
 *
 * @author attach
 */
class MailProviderEnvironmentPostProcessorTests {

	private final ResourceKind kind = ResourceKinds.named("mail").orElseThrow();

	@Test
	void whenSendgridIsChosenWithItsKeyThenMailGoesToItsRelayWithTlsRequired() {
		MockEnvironment environment = process(new MockEnvironment().withProperty("MAIL_BACKEND", "sendgrid")
			.withProperty("SENDGRID_API_KEY", "SG.abc-DEF_1.xyz"));
		String url = environment.getProperty("attach.resources.mail.url");
		assertThat(url).isEqualTo("smtp://apikey:SG.abc-DEF_1.xyz@smtp.sendgrid.net:587?starttls=required");
		SmtpUrl smtp = SmtpUrl.of(ResourceUrl.of("attach.resources.mail.url", url));
		assertThat(smtp.host()).isEqualTo("smtp.sendgrid.net");
		assertThat(smtp.port()).isEqualTo(587);
		assertThat(smtp.username()).isEqualTo("apikey");
		assertThat(smtp.password()).isEqualTo("SG.abc-DEF_1.xyz");
		assertThat(smtp.startTlsRequired()).isTrue();
		assertThat(Backends.resolve(environment, this.kind)).isNotNull()
			.satisfies((backend) -> assertThat(backend.name()).isEqualTo(MailResourceKind.SMTP));
	}

	@Test
	void whenPostmarkIsChosenThenItsTokenIsBothUserAndPasswordHoweverItIsWritten() {
		MockEnvironment environment = process(new MockEnvironment().withProperty("MAIL_BACKEND", " Postmark ")
			.withProperty("POSTMARK_SERVER_TOKEN", "to+k/en@1"));
		SmtpUrl smtp = SmtpUrl
			.of(ResourceUrl.of("attach.resources.mail.url", environment.getProperty("attach.resources.mail.url")));
		assertThat(smtp.host()).isEqualTo("smtp.postmarkapp.com");
		assertThat(smtp.username()).isEqualTo("to+k/en@1");
		assertThat(smtp.password()).isEqualTo("to+k/en@1");
	}

	@Test
	void whenTheProviderIsChosenWithoutItsKeyThenStartupFailsNamingBoth() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> process(new MockEnvironment().withProperty("MAIL_BACKEND", "SendGrid")))
			.withMessage("MAIL_BACKEND is 'SendGrid' but SENDGRID_API_KEY is not set. Set SENDGRID_API_KEY to SG.…, or"
					+ " set SMTP_URL to the provider's SMTP URL.");
	}

	@Test
	void whenSmtpUrlIsSetThenItIsUsedAndTheProviderOnlyChoosesSmtp() {
		MockEnvironment environment = process(new MockEnvironment().withProperty("MAIL_BACKEND", "sendgrid")
			.withProperty("SENDGRID_API_KEY", "SG.key")
			.withProperty("SMTP_URL", "smtp://apikey:other@smtp.example.com:587"));
		assertThat(environment.getProperty("attach.resources.mail.url")).isNull();
		assertThat(Backends.resolve(environment, this.kind)).isNotNull()
			.satisfies((backend) -> assertThat(backend.name()).isEqualTo(MailResourceKind.SMTP));
	}

	@Test
	void whenAnotherBackendIsChosenThenNothingIsAdded() {
		MockEnvironment environment = process(new MockEnvironment().withProperty("MAIL_BACKEND", "console")
			.withProperty("SENDGRID_API_KEY", "SG.key"));
		assertThat(environment.getPropertySources().contains(MailProviderEnvironmentPostProcessor.SOURCE)).isFalse();
		MockEnvironment chosenByProperty = process(new MockEnvironment().withProperty("MAIL_BACKEND", "sendgrid")
			.withProperty("attach.mail.backend", "console"));
		assertThat(chosenByProperty.getPropertySources().contains(MailProviderEnvironmentPostProcessor.SOURCE))
			.isFalse();
	}

	@Test
	void whenMailIsTurnedOffThenTheProviderAttachesNothing() {
		MockEnvironment environment = process(new MockEnvironment().withProperty("MAIL_BACKEND", "sendgrid")
			.withProperty("SENDGRID_API_KEY", "SG.key")
			.withProperty("attach.resources.mail.enabled", "false"));
		assertThat(environment.getPropertySources().contains(MailProviderEnvironmentPostProcessor.SOURCE)).isFalse();
	}

	@Test
	void withoutJavaMailTheProviderAttachesNothingAndAsksForNoKey() {
		MockEnvironment environment = new MockEnvironment().withProperty("MAIL_BACKEND", "sendgrid");
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new org.springframework.core.io.DefaultResourceLoader(
				new org.springframework.boot.test.context.FilteredClassLoader("jakarta.mail")));
		new MailProviderEnvironmentPostProcessor().postProcessEnvironment(environment, application);
		assertThat(environment.getPropertySources().contains(MailProviderEnvironmentPostProcessor.SOURCE)).isFalse();
	}

	private static MockEnvironment process(MockEnvironment environment) {
		new MailProviderEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
