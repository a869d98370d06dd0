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
			return Health.down(MailDelivery.authenticationFailed(ex, this.setting)).build();
		}
		catch (MessagingException ex) {
			return Health.down(MailDelivery.connectFailed(ex, this.sender, this.setting)).build();
		}
		catch (RuntimeException ex) {
			return Health.down(ex).build();
		}
	}

}
