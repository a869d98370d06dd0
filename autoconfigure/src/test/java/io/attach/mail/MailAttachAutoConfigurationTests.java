package io.attach.mail;

import java.nio.file.Path;
import java.util.Properties;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidSettingException;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.jdbc.JdbcAttachAutoConfiguration;
import io.attach.outbox.FileOutboxStore;
import io.attach.outbox.JdbcOutboxStore;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import io.attach.outbox.Outbox;
import io.attach.outbox.OutboxStore;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailHealthContributorAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MailAttachAutoConfiguration} and {@link MailHealthAttachAutoConfiguration}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class MailAttachAutoConfigurationTests {

	@TempDir
	Path spool;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				OutboxAttachAutoConfiguration.class, MailAttachAutoConfiguration.class,
				MailSenderAutoConfiguration.class, HealthAttachAutoConfiguration.class,
				MailHealthAttachAutoConfiguration.class, MailHealthContributorAutoConfiguration.class));

	private ApplicationContextRunner withSpool() {
		return this.contextRunner.withPropertyValues("attach.outbox.directory=" + this.spool);
	}

	@Test
	void whenMailGoesToTheConsoleWithoutBeingAskedThenAWarningSaysSo(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(output).contains("No SMTP_URL: mail is written to the log"));
		this.contextRunner.withPropertyValues("MAIL_BACKEND=console")
			.run((context) -> assertThat(output).containsOnlyOnce("No SMTP_URL: mail is written to the log"));
	}

	@Test
	void whenTheEnvironmentIntendsTheConsoleThenThereIsNoWarningAndAnAttachedServerIsStillUsed(CapturedOutput output) {
		this.contextRunner.withPropertyValues("attach.stand-ins=mail").run((context) -> {
			assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(ConsoleMailSender.class);
			assertThat(output).doesNotContain("No SMTP_URL");
		});
		// Unlike MAIL_BACKEND=console, which would keep mail in the log with SMTP_URL set.
		withSpool().withPropertyValues("attach.stand-ins=mail", "SMTP_URL=smtp://mail.internal:587?starttls=optional",
				"MAIL_FROM=app@example.com")
			.run((context) -> assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(OutboxMailSender.class));
	}

	@Test
	void whenSmtpUrlIsSetButMailIsDisabledThenTheWarningSaysThatMailIsNotAttached(CapturedOutput output) {
		this.contextRunner.withPropertyValues("SMTP_URL=smtp://app:canary@mail.internal",
				"attach.resources.mail.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(ConsoleMailSender.class);
				assertThat(output).contains("SMTP_URL is set, but mail is not attached"
						+ " (attach.resources.mail.enabled is false): mail is written to the log, not sent.")
					.doesNotContain("No SMTP_URL")
					.doesNotContain("canary");
			});
	}

	@Test
	void whenMailBackendIsEmptyThenTheWarningStillSaysThatMailGoesToTheConsole(CapturedOutput output) {
		this.contextRunner.withPropertyValues("MAIL_BACKEND=").run((context) -> {
			assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(ConsoleMailSender.class);
			assertThat(output).contains("No SMTP_URL: mail is written to the log");
		});
	}

	@Test
	void whenSmtpUrlHasParametersAttachDoesNotReadThenAWarningNamesThem(CapturedOutput output) {
		withSpool().withPropertyValues("SMTP_URL=smtp://app:canary@mail.internal:587?tls=True&timeout=5&fail_silently=x")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("SMTP_URL has the parameter(s) [timeout, fail_silently], which attach does"
						+ " not read: they are ignored.").doesNotContain("canary");
			});
	}

	@Test
	void whenADatabaseIsAttachedThenMailIsQueuedInItsTable() {
		withSpool()
			.withConfiguration(
					AutoConfigurations.of(JdbcAttachAutoConfiguration.class, DataSourceAutoConfiguration.class))
			.withPropertyValues("SMTP_URL=smtp://mail.internal", "DATABASE_URL=h2:file:" + this.spool.resolve("db"))
			.run((context) -> assertThat(context).getBean("outboxStore").isInstanceOf(JdbcOutboxStore.class));
	}

	@Test
	void whenTheAttachedDatabaseIsInMemoryThenMailIsQueuedInFiles() {
		withSpool()
			.withConfiguration(
					AutoConfigurations.of(JdbcAttachAutoConfiguration.class, DataSourceAutoConfiguration.class))
			.withPropertyValues("SMTP_URL=smtp://mail.internal", "DATABASE_URL=h2:mem:outbox-" + System.nanoTime())
			.run((context) -> assertThat(context).getBean("outboxStore").isInstanceOf(FileOutboxStore.class));
	}

	@Test
	void whenTheAttachedDatabaseIsNotOneTheTableSupportsThenMailIsQueuedInFiles() {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal", "DATABASE_URL=jdbc:oracle:thin:@db:1521/app")
			.run((context) -> assertThat(context).getBean("outboxStore").isInstanceOf(FileOutboxStore.class));
	}

	@Test
	void whenNothingIsConfiguredThenMailGoesToTheConsole(CapturedOutput output) {
		this.contextRunner.withPropertyValues("MAIL_FROM=App <no-reply@example.com>").run((context) -> {
			assertThat(context).hasSingleBean(JavaMailSender.class).doesNotHaveBean("smtpMailSender");
			assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(ConsoleMailSender.class);
			context.getBean(MailSender.class).send(message("ada@example.com", "Welcome"));
			assertThat(output).contains("to [ada@example.com] (not sent: MAIL_BACKEND is console)")
				.contains("From: App <no-reply@example.com>")
				.contains("Subject: Welcome");
		});
	}

	@Test
	void whenSmtpUrlIsSetThenInjectedSenderQueuesInTheOutbox() {
		withSpool().withPropertyValues("SMTP_URL=smtp://apikey:s3cret@mail.internal:587", "MAIL_FROM=app@ex.com").run((context) -> {
			assertThat(context).hasSingleBean(Outbox.class);
			assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(OutboxMailSender.class);
			assertThat(context).getBean("outboxStore").isInstanceOf(FileOutboxStore.class);
			// mail.internal does not resolve: the mail is kept, and send() returned all the same.
			context.getBean(JavaMailSender.class).send(message("ada@example.com", "Kept"));
			assertThat(context.getBean(OutboxStore.class).stats("mail").queued()).isEqualTo(1);
			JavaMailSenderImpl smtp = context.getBean("smtpMailSender", JavaMailSenderImpl.class);
			assertThat(smtp.getHost()).isEqualTo("mail.internal");
			assertThat(smtp.getPort()).isEqualTo(587);
			assertThat(smtp.getUsername()).isEqualTo("apikey");
			assertThat(smtp.getPassword()).isEqualTo("s3cret");
			assertThat(smtp.getProtocol()).isEqualTo("smtp");
			assertThat(smtp.getJavaMailProperties()).containsEntry("mail.smtp.connectiontimeout", "5000")
				.containsEntry("mail.smtp.timeout", "10000")
				.containsEntry("mail.smtp.writetimeout", "10000")
				.containsEntry("mail.smtp.auth", "true")
				.containsEntry("mail.smtp.starttls.enable", "true")
				// Credentials need TLS: STARTTLS is required, not only used when offered.
				.containsEntry("mail.smtp.starttls.required", "true")
				.containsEntry("mail.smtp.ssl.checkserveridentity", "true")
				.doesNotContainKey("mail.smtp.ssl.trust");
		});
	}

	@Test
	void whenStartTlsIsRequiredThenJavaMailRequiresIt() {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal:587?starttls=required")
			.run((context) -> assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
				.containsEntry("mail.smtp.starttls.required", "true")
				.containsEntry("mail.smtp.auth", "false"));
	}

	@Test
	void whenUrlHasNoCredentialsThenStartTlsIsUsedWhenOffered() {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal:587")
			.run((context) -> assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
				.containsEntry("mail.smtp.starttls.enable", "true")
				.containsEntry("mail.smtp.starttls.required", "false")
				.containsEntry("mail.smtp.auth", "false"));
	}

	@Test
	void whenUrlAllowsCredentialsInClearTextThenAWarningNamesTheSettingButNotThePassword(CapturedOutput output) {
		withSpool().withPropertyValues("SMTP_URL=smtp://apikey:canary@mail.internal:587?starttls=optional")
			.run((context) -> {
				assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
					.containsEntry("mail.smtp.starttls.enable", "true")
					.containsEntry("mail.smtp.starttls.required", "false");
				assertThat(output).containsOnlyOnce("SMTP_URL has starttls=optional").doesNotContain("canary");
			});
	}

	@Test
	void whenUrlRequiresTlsThenNoWarningIsLogged(CapturedOutput output) {
		withSpool().withPropertyValues("SMTP_URL=smtp://apikey:canary@mail.internal:587")
			.run((context) -> assertThat(output).doesNotContain("starttls=optional")
				.doesNotContain("turns off certificate verification"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "SMTP_URL=smtp://apikey:canary@mail.internal:587",
			"SMTP_URL=smtp://mail.internal:587?starttls=required" })
	void whenJavaMailPropertiesRelaxRequiredStartTlsThenStartupFailsNamingTheProperty(String smtpUrl) {
		withSpool().withPropertyValues(smtpUrl, "spring.mail.properties.mail.smtp.starttls.required=false")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("spring.mail.properties.mail.smtp.starttls.required is 'false'")
				.hasMessageContaining(smtpUrl.contains("canary") ? "?starttls=optional" : "has starttls=required")
				.message()
				.doesNotContain("canary"));
	}

	@Test
	void whenUrlAllowsClearTextThenJavaMailPropertiesMayRelaxStartTls() {
		withSpool()
			.withPropertyValues("SMTP_URL=smtp://apikey:canary@mail.internal:587?starttls=optional",
					"spring.mail.properties.mail.smtp.starttls.enable=false")
			.run((context) -> assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
				.containsEntry("mail.smtp.starttls.enable", "false"));
	}

	@Test
	void whenAnAttachTimeoutIsBelowAMillisecondOrBeyondAnIntThenJavaMailStillGetsAFiniteOne() {
		withSpool()
			.withPropertyValues("SMTP_URL=smtp://mail.internal", "attach.mail.connect-timeout=500us",
					"attach.mail.read-timeout=30d", "attach.mail.write-timeout=1500us")
			.run((context) -> assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
				.containsEntry("mail.smtp.connectiontimeout", "1")
				.containsEntry("mail.smtp.timeout", String.valueOf(Integer.MAX_VALUE))
				.containsEntry("mail.smtp.writetimeout", "2"));
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			mail.smtp.connectiontimeout | 0
			mail.smtp.timeout           | -1
			mail.smtp.writetimeout      | 0
			mail.smtp.timeout           | ten seconds
			mail.smtp.timeout           | 3000000000
			mail.smtps.connectiontimeout | -5000
			""")
	void whenAJavaMailTimeoutIsNotPositiveThenStartupFailsNamingIt(String property, String value) {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal", "spring.mail.properties." + property + "=" + value)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("spring.mail.properties." + property + " is '" + value + "'")
				.hasMessageContaining("positive number of milliseconds"));
	}

	@Test
	void whenSchemeIsSmtpsThenSettingsApplyToTheSmtpsProtocol() {
		withSpool().withPropertyValues("SMTP_URL=smtps://u:p@mail.internal").run((context) -> {
			JavaMailSenderImpl smtp = context.getBean("smtpMailSender", JavaMailSenderImpl.class);
			assertThat(smtp.getProtocol()).isEqualTo("smtps");
			assertThat(smtp.getPort()).isEqualTo(465);
			assertThat(smtp.getJavaMailProperties()).containsEntry("mail.smtps.timeout", "10000")
				.containsEntry("mail.smtps.ssl.checkserveridentity", "true")
				.doesNotContainKey("mail.smtps.starttls.enable");
		});
	}

	@Test
	void whenTimeoutsAreConfiguredThenTheyApplyAndJavaMailPropertiesWin() {
		withSpool()
			.withPropertyValues("SMTP_URL=smtp://mail.internal", "attach.mail.connect-timeout=2s",
					"attach.mail.read-timeout=3s", "spring.mail.properties.mail.smtp.writetimeout=1234")
			.run((context) -> assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
				.containsEntry("mail.smtp.connectiontimeout", "2000")
				.containsEntry("mail.smtp.timeout", "3000")
				.containsEntry("mail.smtp.writetimeout", "1234"));
	}

	@Test
	void whenUrlOptsOutOfVerificationThenJavaMailTrustsAnyCertificate() {
		withSpool().withPropertyValues("SMTP_URL=smtps://mail.internal?ssl_cert_reqs=none")
			.run((context) -> assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
				.containsEntry("mail.smtps.ssl.trust", "*")
				.containsEntry("mail.smtps.ssl.checkserveridentity", "false"));
	}

	@Test
	void whenUrlOptsOutOfVerificationThenAWarningNamesTheSettingButNotThePassword(CapturedOutput output) {
		withSpool().withPropertyValues("SMTP_URL=smtp://apikey:canary@mail.internal:587?verifyPeer=false")
			.run((context) -> assertThat(output)
				.containsOnlyOnce("SMTP_URL turns off certificate verification")
				.contains("read the credentials")
				.doesNotContain("canary"));
	}

	@ParameterizedTest(name = "{0}: {1}={2}")
	@CsvSource(delimiter = '|', textBlock = """
			smtp://apikey:canary@mail.internal:587  | mail.smtp.ssl.trust                  | *
			smtp://apikey:canary@mail.internal:587  | mail.smtp.ssl.trust                  | mail.internal
			smtp://apikey:canary@mail.internal:587  | mail.smtp.ssl.checkserveridentity    | false
			smtps://apikey:canary@mail.internal     | mail.smtps.ssl.trust                 | *
			smtps://apikey:canary@mail.internal     | mail.smtps.ssl.checkserveridentity   | FALSE
			smtp://apikey:canary@mail.internal:587  | mail.smtps.ssl.trust                 | *
			smtp://mail.internal                    | mail.smtp.ssl.checkserveridentity    | no
			""")
	void whenAJavaMailSettingTurnsOffCertificateChecksThenStartupFailsNamingIt(String smtpUrl, String property,
			String value, CapturedOutput output) {
		withSpool().withPropertyValues("SMTP_URL=" + smtpUrl, "spring.mail.properties." + property + "=" + value)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("spring.mail.properties." + property + " is '" + value + "'")
				.hasMessageContaining("turns off the certificate checks of SMTP_URL")
				.hasMessageContaining("?verifyPeer=false")
				.hasMessageNotContaining("canary"));
		assertThat(output).doesNotContain("canary");
	}

	@Test
	void whenUrlOptsOutOfVerificationThenJavaMailSettingsMayRelaxCertificateChecksToo() {
		withSpool()
			.withPropertyValues("SMTP_URL=smtp://apikey:canary@mail.internal:587?verifyPeer=false",
					"spring.mail.properties.mail.smtp.ssl.trust=mail.internal")
			.run((context) -> assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
				.containsEntry("mail.smtp.ssl.trust", "mail.internal")
				.containsEntry("mail.smtp.ssl.checkserveridentity", "false"));
	}

	@Test
	void whenJavaMailSettingKeepsCertificateChecksThenItIsAccepted() {
		withSpool()
			.withPropertyValues("SMTP_URL=smtp://apikey:canary@mail.internal:587",
					"spring.mail.properties.mail.smtp.ssl.checkserveridentity=true")
			.run((context) -> assertThat(smtpProperties(context.getBean("smtpMailSender", JavaMailSenderImpl.class)))
				.containsEntry("mail.smtp.ssl.checkserveridentity", "true")
				.doesNotContainKey("mail.smtp.ssl.trust"));
	}

	@Test
	void whenMailBackendIsConsoleThenSmtpUrlIsNotUsed() {
		this.contextRunner.withPropertyValues("SMTP_URL=smtp://mail.internal", "MAIL_BACKEND=console")
			.run((context) -> assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(ConsoleMailSender.class));
	}

	@Test
	void whenMailBackendIsSmtpWithoutSmtpUrlThenStartupFailsNamingBoth() {
		this.contextRunner.withPropertyValues("MAIL_BACKEND=smtp")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("MAIL_BACKEND is 'smtp' but SMTP_URL")
				.hasMessageContaining("MAIL_BACKEND=console"));
	}

	@Test
	void whenMailBackendIsUnknownThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("attach.mail.backend=pigeon")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pigeon"));
	}

	@Test
	void whenMailFromIsNotAnAddressThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("MAIL_FROM=not an address <")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("MAIL_FROM is"));
	}

	@Test
	void whenMailFromComesThroughAPlaceholderThenTheErrorNamesTheVariable() {
		// As the sample writes it: attach.mail.from: ${MAIL_FROM:…}.
		this.contextRunner.withPropertyValues("MAIL_FROM=not an address <", "attach.mail.from=${MAIL_FROM}")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("MAIL_FROM is"));
		this.contextRunner.withPropertyValues("MAIL_FROM=app@example.com", "attach.mail.from=not an address <")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageStartingWith("attach.mail.from is"));
	}

	@Test
	void whenSmtpIsAttachedWithoutASenderThenStartupWarnsAndAMailWithoutFromIsRefusedBeforeItIsQueued(
			CapturedOutput output) {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal:587?starttls=optional").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("SMTP_URL is attached but MAIL_FROM is not set");
			assertThatExceptionOfType(MailPreparationException.class)
				.isThrownBy(() -> context.getBean(JavaMailSender.class).send(message("ada@example.com", "Lost?")));
			assertThat(context.getBean(OutboxStore.class).stats("mail").queued()).isZero();
		});
	}

	@Test
	void whenMailIsRequiredWithoutASenderThenStartupFailsNamingMailFrom() {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal:587?starttls=optional", "attach.require=mail")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("MAIL_FROM is not set"));
	}

	@Test
	void whenSpringMailHostIsSetWithoutSmtpUrlThenBootConfiguresMail() {
		this.contextRunner.withPropertyValues("spring.mail.host=boot.internal").run((context) -> {
			assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(JavaMailSenderImpl.class);
			assertThat(((JavaMailSenderImpl) context.getBean(JavaMailSender.class)).getHost())
				.isEqualTo("boot.internal");
		});
	}

	@Test
	void whenSmtpUrlAndSpringMailHostAreSetThenSmtpUrlWins() {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal", "spring.mail.host=boot.internal")
			.run((context) -> {
				assertThat(context.getBean(JavaMailSender.class)).isInstanceOf(OutboxMailSender.class);
				assertThat(context.getBean("smtpMailSender", JavaMailSenderImpl.class).getHost())
					.isEqualTo("mail.internal");
			});
	}

	@Test
	void whenUserDefinesAMailSenderThenAttachBacksOff() {
		JavaMailSenderImpl user = new JavaMailSenderImpl();
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal")
			.withBean(JavaMailSender.class, () -> user)
			.run((context) -> {
				assertThat(context.getBean(JavaMailSender.class)).isSameAs(user);
				assertThat(context).doesNotHaveBean(Outbox.class).doesNotHaveBean("smtpMailSender");
			});
	}

	@Test
	void whenMailIsAttachedThenItsHealthCheckReplacesBoots() {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal").run((context) -> {
			assertThat(context).getBean("mailHealthContributor").isInstanceOf(MonitoredHealthIndicator.class);
		});
	}

	@Test
	void whenBootsMailCheckIsTurnedOffThenAttachsMailCheckIsOffToo() {
		withSpool().withPropertyValues("SMTP_URL=smtp://mail.internal", "management.health.mail.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("mailHealthContributor"));
	}

	private static Properties smtpProperties(JavaMailSenderImpl sender) {
		return sender.getJavaMailProperties();
	}

	private static SimpleMailMessage message(String to, String subject) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setTo(to);
		message.setSubject(subject);
		message.setText("Hello");
		return message;
	}

}
