package io.attach.mail;

import java.nio.file.Path;
import java.time.Duration;

import io.attach.core.AttachAutoConfiguration;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.test.RecordingSmtpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of one relay round of queued mail over SMTP, against a loopback server the test owns.
 *
 * @author attach
 */
class MailRelayRoundTests {

	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20));

	private final RecordingSmtpServer server = RecordingSmtpServer.start();

	@TempDir
	Path spool;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				OutboxAttachAutoConfiguration.class, MailAttachAutoConfiguration.class, SslAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("attach.outbox.poll-interval=200ms", "attach.mail.read-timeout=5s",
				"attach.mail.connect-timeout=5s", "MAIL_FROM=no-reply@example.com",
				"SMTP_URL=smtp://127.0.0.1:" + this.server.port());

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenAMailIsQueuedThenItIsSentToEveryRecipientAndTheConnectionIsClosed() {
		this.contextRunner.withPropertyValues("attach.outbox.directory=" + this.spool).run((context) -> {
			SimpleMailMessage message = new SimpleMailMessage();
			message.setTo("ada@example.com", "bob@example.com");
			message.setSubject("Welcome");
			message.setText("Hello");
			context.getBean(JavaMailSender.class).send(message);
			EVENTUALLY.until(this.server::received, (received) -> received == 1);
			assertThat(this.server.commands("RCPT")).containsExactly("RCPT TO:<ada@example.com>",
					"RCPT TO:<bob@example.com>");
			// The round's connection is closed with QUIT, not left to time out.
			EVENTUALLY.until(() -> this.server.commands("QUIT"), (quits) -> !quits.isEmpty());
		});
	}

}
