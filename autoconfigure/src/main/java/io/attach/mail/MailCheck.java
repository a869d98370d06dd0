package io.attach.mail;

import java.time.Duration;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Checks the attached mail server by connecting and logging in, at most once per check interval: SMTP providers
 * count connections, and probes come every few seconds.
 *
 * @author attach
 */
final class MailCheck implements HealthIndicator {

	private final JavaMailSenderImpl sender;

	private final long intervalNanos;

	private volatile @Nullable Health last;

	private volatile long lastAt;

	MailCheck(JavaMailSenderImpl sender, Duration interval) {
		this.sender = sender;
		this.intervalNanos = interval.toNanos();
	}

	@Override
	public Health health() {
		Health previous = this.last;
		if (previous != null && System.nanoTime() - this.lastAt < this.intervalNanos) {
			return previous;
		}
		Health current = connect();
		this.last = current;
		this.lastAt = System.nanoTime();
		return current;
	}

	private Health connect() {
		try {
			this.sender.testConnection();
			return Health.up().withDetail("server", this.sender.getHost() + ":" + this.sender.getPort()).build();
		}
		catch (AuthenticationFailedException ex) {
			return Health.down(MailDelivery.authenticationFailed(ex, "SMTP_URL")).build();
		}
		catch (MessagingException | RuntimeException ex) {
			return Health.down(ex).build();
		}
	}

}
