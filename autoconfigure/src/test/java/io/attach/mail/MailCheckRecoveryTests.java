package io.attach.mail;

import java.time.Duration;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.test.FaultProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MailCheck} against GreenMail behind a proxy that refuses connections on cue.
 *
 * @author attach
 */
class MailCheckRecoveryTests {

	private GreenMail greenMail;

	private FaultProxy proxy;

	private MailCheck check;

	@BeforeEach
	void start() {
		this.greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		this.greenMail.start();
		this.proxy = FaultProxy.to("127.0.0.1", this.greenMail.getSmtp().getPort());
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(this.proxy.getPort());
		sender.getJavaMailProperties().setProperty("mail.smtp.connectiontimeout", "1000");
		sender.getJavaMailProperties().setProperty("mail.smtp.timeout", "1000");
		this.check = new MailCheck(sender, "SMTP_URL", Duration.ofHours(1));
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.greenMail.stop();
	}

	@Test
	void whenTheServerCannotBeReachedThenTheNextCheckConnectsAgainAndSeesItBack() {
		this.proxy.refuse();
		assertThat(this.check.health().getStatus()).isEqualTo(Status.DOWN);
		this.proxy.pass();
		// Not the DOWN of an hour's interval: the recovery is seen, and wakes the outbox, at the next check.
		assertThat(this.check.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void whenTheConnectionIsResetBeforeTheGreetingThenTheNextCheckConnectsAgainAndSeesItBack() {
		this.proxy.reset();
		assertThat(this.check.health().getStatus()).isEqualTo(Status.DOWN);
		this.proxy.pass();
		assertThat(this.check.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void whenTheServerDoesNotAnswerThenTheNextCheckConnectsAgainAndSeesItBack() {
		this.proxy.blackhole();
		assertThat(this.check.health().getStatus()).isEqualTo(Status.DOWN);
		this.proxy.pass();
		assertThat(this.check.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void whenTheServerAnsweredThenItsAnswerHoldsForTheInterval() {
		assertThat(this.check.health().getStatus()).isEqualTo(Status.UP);
		int connections = this.proxy.getConnectionCount();
		this.proxy.refuse();
		assertThat(this.check.health().getStatus()).isEqualTo(Status.UP);
		assertThat(this.proxy.getConnectionCount()).isEqualTo(connections);
	}

}
