package io.attach.mail;

import java.nio.file.Path;
import java.time.Duration;

import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.outbox.Outbox;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import io.attach.outbox.OutboxStats;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.test.RecordingSmtpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests that the credentials of {@code SMTP_URL} never cross a connection in clear text unless the URL says so,
 * against a server that does not offer STARTTLS, as a man in the middle who strips it from {@code EHLO} would
 * answer.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class MailCleartextIntegrationTests {

	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20));

	private static final String NOT_OFFERED = "does not offer STARTTLS; credentials are never sent in clear text";

	private static final String PASSWORD = "canary-s3cret";

	@TempDir
	Path spool;

	private RecordingSmtpServer server;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				OutboxAttachAutoConfiguration.class, MailAttachAutoConfiguration.class,
				HealthAttachAutoConfiguration.class, MailHealthAttachAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("attach.outbox.poll-interval=200ms", "attach.outbox.retry.initial-interval=100ms",
				"attach.outbox.retry.max-interval=500ms", "attach.mail.read-timeout=1s",
				"attach.mail.connect-timeout=1s", "MAIL_FROM=App <no-reply@example.com>");

	@BeforeEach
	void startServer() {
		this.server = RecordingSmtpServer.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private ApplicationContextRunner attached(String query) {
		return this.contextRunner.withPropertyValues(
				"SMTP_URL=smtp://app:" + PASSWORD + "@127.0.0.1:" + this.server.port() + query,
				"attach.outbox.directory=" + this.spool);
	}

	@Test
	void whenServerDoesNotOfferStartTlsThenHealthCheckIsDownWithoutLoggingIn() {
		attached("").run((context) -> {
			HealthIndicator check = context.getBean("mailHealthContributor", HealthIndicator.class);
			Health health = EVENTUALLY.until(check::health, (current) -> Status.DOWN.equals(current.getStatus()));
			assertThat(String.valueOf(health.getDetails().get("error"))).contains(NOT_OFFERED)
				.doesNotContain(PASSWORD);
			assertThat(this.server.commands("EHLO")).isNotEmpty();
			assertThat(this.server.commands("AUTH")).isEmpty();
		});
	}

	@Test
	void whenServerDoesNotOfferStartTlsThenMailStaysQueuedWithoutLoggingIn(CapturedOutput output) {
		attached("").run((context) -> {
			send(context, "ada@example.com", "Never in clear text");
			EVENTUALLY.until(() -> retried(context), (retried) -> retried >= 2);
			assertThat(this.server.commands("AUTH")).isEmpty();
			assertThat(this.server.commands("MAIL")).isEmpty();
			assertThat(this.server.received()).isZero();
			assertThat(context.getBean(Outbox.class).getStats()).extracting(OutboxStats::queued, OutboxStats::parked)
				.containsExactly(1L, 0L);
			assertThat(output).contains(NOT_OFFERED).doesNotContain(PASSWORD);
		});
	}

	@Test
	void whenUrlAllowsClearTextThenCredentialsAreSentAndAWarningSaysSo(CapturedOutput output) {
		attached("?starttls=optional").run((context) -> {
			assertThat(output).contains("SMTP_URL has starttls=optional").doesNotContain(PASSWORD);
			send(context, "ada@example.com", "In clear text, as asked");
			EVENTUALLY.until(this.server::received, (received) -> received == 1);
			assertThat(this.server.commands("AUTH")).isNotEmpty();
		});
	}

	private static void send(AssertableApplicationContext context, String to, String subject) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setTo(to);
		message.setSubject(subject);
		message.setText("Hello " + to);
		context.getBean(JavaMailSender.class).send(message);
	}

	private static double retried(AssertableApplicationContext context) {
		return context.getBean(MeterRegistry.class)
			.get("attach.outbox.attempts")
			.tags("resource", "mail", "outcome", "retried")
			.counter()
			.count();
	}

}
