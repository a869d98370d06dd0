package io.attach.mail;

import java.time.Duration;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.outbox.RejectedItemException;
import io.attach.test.RecordingSmtpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MailCheck}, against a loopback SMTP server the test owns.
 *
 * @author attach
 */
class MailCheckTests {

	private final RecordingSmtpServer server = RecordingSmtpServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void whenServerAnswersThenTheMailServerIsUpAndNamed() {
		Health health = new MailCheck(sender(this.server.port()), "SMTP_URL", Duration.ofMinutes(1)).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("server", "127.0.0.1:" + this.server.port());
	}

	@Test
	void whenCheckedAgainWithinTheIntervalThenTheServerIsNotContactedAgain() {
		MailCheck check = new MailCheck(sender(this.server.port()), "SMTP_URL", Duration.ofMinutes(1));
		Health first = check.health();
		int connections = this.server.connections();
		assertThat(check.health()).isSameAs(first);
		assertThat(this.server.connections()).isEqualTo(connections);
	}

	@Test
	void whenIntervalHasPassedThenTheServerIsContactedAgain() {
		MailCheck check = new MailCheck(sender(this.server.port()), "SMTP_URL", Duration.ofNanos(1));
		check.health();
		int connections = this.server.connections();
		assertThat(check.health().getStatus()).isEqualTo(Status.UP);
		assertThat(this.server.connections()).isGreaterThan(connections);
	}

	@Test
	void whenServerIsGoneThenTheMailServerIsDown() {
		int port = this.server.port();
		this.server.close();
		Health health = new MailCheck(sender(port), "SMTP_URL", Duration.ofMinutes(1)).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsKey("error");
	}

	@Test
	void whenSenderIsMisconfiguredThenTheMailServerIsDown() {
		JavaMailSenderImpl sender = sender(this.server.port());
		sender.setProtocol("no-such-protocol");
		Health health = new MailCheck(sender, "SMTP_URL", Duration.ofMinutes(1)).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void whenCredentialsAreRejectedThenTheMailServerIsDownAndTheErrorSaysWhich() {
		GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		greenMail.start();
		try {
			greenMail.setUser("app@localhost", "app", "s3cret");
			JavaMailSenderImpl sender = sender(greenMail.getSmtp().getPort());
			sender.setUsername("app");
			sender.setPassword("canary");
			sender.getJavaMailProperties().setProperty("mail.smtp.auth", "true");
			Health health = new MailCheck(sender, "SMTP_URL", Duration.ofMinutes(1)).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("error")).asString()
				.startsWith(RejectedItemException.class.getName()
						+ ": The mail server rejected the credentials of SMTP_URL (SMTP 535)")
				.doesNotContain("canary");
		}
		finally {
			greenMail.stop();
		}
	}

	@Test
	void whenServerDoesNotOfferStartTlsThatIsRequiredThenTheErrorSaysSo() {
		JavaMailSenderImpl sender = sender(this.server.port());
		sender.getJavaMailProperties().setProperty("mail.smtp.starttls.enable", "true");
		sender.getJavaMailProperties().setProperty("mail.smtp.starttls.required", "true");
		Health health = new MailCheck(sender, "SMTP_URL", Duration.ofMinutes(1)).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("error")).asString()
			.contains("The mail server 127.0.0.1:" + this.server.port() + " of SMTP_URL does not offer STARTTLS");
	}

	private static JavaMailSenderImpl sender(int port) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(port);
		sender.getJavaMailProperties().setProperty("mail.smtp.connectiontimeout", "2000");
		sender.getJavaMailProperties().setProperty("mail.smtp.timeout", "2000");
		return sender;
	}

}
