package io.attach.mail;

import java.time.Duration;

import io.attach.outbox.RejectedItemException;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Checks the attached mail server by connecting and logging in, at most once per check interval: SMTP providers
 * count connections, and probes come every few seconds. It logs in under the same TLS rules as delivery, so never
 * in clear text unless the URL allows it.
 *
 * @author attach
 */
final class MailCheck implements HealthIndicator {

	private final JavaMailSenderImpl sender;

	private final String setting;

	private final long intervalNanos;

	private volatile @Nullable Health last;

	private volatile long lastAt;

	// Whether the last connection got an answer from the server; written and read by the one check at a time.
	private boolean answered;

	MailCheck(JavaMailSenderImpl sender, String setting, Duration interval) {
		this.sender = sender;
		this.setting = setting;
		this.intervalNanos = interval.toNanos();
	}

	@Override
	public Health health() {
		Health previous = this.last;
		if (previous != null && System.nanoTime() - this.lastAt < this.intervalNanos) {
			return previous;
		}
		Health current = connect();
		// A server that cannot be reached is tried again at the next check, so that its recovery is seen at once
		// (and wakes the outbox); an answer, even a refusal of the credentials, holds for the interval.
		this.last = this.answered ? current : null;
		this.lastAt = System.nanoTime();
		return current;
	}

	private Health connect() {
		this.answered = true;
		try {
			this.sender.testConnection();
			return Health.up().withDetail("server", this.sender.getHost() + ":" + this.sender.getPort()).build();
		}
		catch (AuthenticationFailedException ex) {
			Exception failure = MailDelivery.authenticationFailed(ex, this.setting);
			// Rejected credentials are an answer; a login that timed out or was dropped is not.
			this.answered = failure instanceof RejectedItemException;
			return Health.down(failure).build();
		}
		catch (MessagingException ex) {
			this.answered = false;
			return Health.down(MailDelivery.connectFailed(ex, this.sender, this.setting)).build();
		}
		catch (RuntimeException ex) {
			this.answered = false;
			return Health.down(ex).build();
		}
	}

}
