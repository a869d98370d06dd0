package io.attach.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.outbox.RejectedItemException;
import io.attach.test.LoopbackServer;
import io.attach.test.RecordingSmtpServer;
import org.jspecify.annotations.Nullable;
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

	@Test
	void whenServerRefusesServiceInItsGreetingThenItIsContactedOnceWithinTheInterval() {
		try (ScriptedSmtpServer server = ScriptedSmtpServer.start("421 4.7.0 Too many connections", null)) {
			MailCheck check = new MailCheck(sender(server.port()), "SMTP_URL", Duration.ofMinutes(1));
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(server.acceptedConnections()).isOne();
		}
	}

	@Test
	void whenServerAsksToTryTheLoginLaterThenItIsContactedOnceWithinTheInterval() {
		try (ScriptedSmtpServer server = ScriptedSmtpServer.start("220 scripted ESMTP", "454 4.7.0 Try again later")) {
			JavaMailSenderImpl sender = sender(server.port());
			sender.setUsername("app");
			sender.setPassword("s3cret");
			sender.getJavaMailProperties().setProperty("mail.smtp.auth", "true");
			MailCheck check = new MailCheck(sender, "SMTP_URL", Duration.ofMinutes(1));
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(server.acceptedConnections()).isOne();
		}
	}

	@Test
	void whenServerResetsTheConnectionAfterItsGreetingThenItIsContactedOnceWithinTheInterval() {
		try (ScriptedSmtpServer server = ScriptedSmtpServer.start("220 scripted ESMTP", null)) {
			MailCheck check = new MailCheck(sender(server.port()), "SMTP_URL", Duration.ofMinutes(1));
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(server.acceptedConnections()).isOne();
		}
	}

	@Test
	void whenServerClosesTheConnectionBeforeItsGreetingThenTheNextCheckContactsItAgain() {
		try (ScriptedSmtpServer server = ScriptedSmtpServer.start(null, null)) {
			MailCheck check = new MailCheck(sender(server.port()), "SMTP_URL", Duration.ofMinutes(1));
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
			assertThat(server.acceptedConnections()).isEqualTo(2);
		}
	}

	@Test
	void whenTheTlsHandshakeFailsThenTheServerIsContactedOnceWithinTheInterval() {
		JavaMailSenderImpl sender = sender(this.server.port());
		// A plain SMTP server answers the ClientHello with its greeting.
		sender.getJavaMailProperties().setProperty("mail.smtp.ssl.enable", "true");
		MailCheck check = new MailCheck(sender, "SMTP_URL", Duration.ofMinutes(1));
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(this.server.connections()).isOne();
	}

	@Test
	void whenServerDoesNotOfferStartTlsThatIsRequiredThenItIsContactedOnceWithinTheInterval() {
		JavaMailSenderImpl sender = sender(this.server.port());
		sender.getJavaMailProperties().setProperty("mail.smtp.starttls.enable", "true");
		sender.getJavaMailProperties().setProperty("mail.smtp.starttls.required", "true");
		MailCheck check = new MailCheck(sender, "SMTP_URL", Duration.ofMinutes(1));
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(check.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(this.server.connections()).isOne();
	}

	private static JavaMailSenderImpl sender(int port) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(port);
		sender.getJavaMailProperties().setProperty("mail.smtp.connectiontimeout", "2000");
		sender.getJavaMailProperties().setProperty("mail.smtp.timeout", "2000");
		return sender;
	}

	/**
	 * An SMTP server that greets with a given reply, or closes the connection without a word, and answers a login
	 * with a given reply, or resets the connection after {@code EHLO}.
	 */
	private static final class ScriptedSmtpServer extends LoopbackServer {

		private final @Nullable String greeting;

		private final @Nullable String loginReply;

		private ScriptedSmtpServer(@Nullable String greeting, @Nullable String loginReply) {
			super("scripted-smtp");
			this.greeting = greeting;
			this.loginReply = loginReply;
		}

		static ScriptedSmtpServer start(@Nullable String greeting, @Nullable String loginReply) {
			return started(new ScriptedSmtpServer(greeting, loginReply));
		}

		@Override
		protected void serve(Socket client) throws IOException {
			if (this.greeting == null) {
				closeQuietly(client);
				return;
			}
			BufferedReader in = new BufferedReader(
					new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
			OutputStream out = client.getOutputStream();
			reply(out, this.greeting);
			if (!this.greeting.startsWith("220") || in.readLine() == null) {
				closeQuietly(client);
				return;
			}
			if (this.loginReply == null) {
				resetQuietly(client);
				return;
			}
			reply(out, "250-scripted\r\n250 AUTH PLAIN LOGIN");
			String line;
			while ((line = in.readLine()) != null && !line.toUpperCase(Locale.ROOT).startsWith("QUIT")) {
				reply(out, line.toUpperCase(Locale.ROOT).startsWith("AUTH") ? this.loginReply : "250 2.0.0 OK");
			}
			closeQuietly(client);
		}

		private static void reply(OutputStream out, String reply) throws IOException {
			out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
		}

	}

}
