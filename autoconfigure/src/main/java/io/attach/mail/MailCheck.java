package io.attach.mail;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.jspecify.annotations.Nullable;

import io.attach.health.DownHealth;

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
		Exception failure = null;
		Health current;
		try {
			this.sender.testConnection();
			current = Health.up().withDetail("server", this.sender.getHost() + ":" + this.sender.getPort()).build();
		}
		catch (AuthenticationFailedException ex) {
			failure = ex;
			current = Health.down(MailDelivery.authenticationFailed(ex, this.setting)).build();
		}
		catch (MessagingException ex) {
			failure = ex;
			current = DownHealth.of(MailDelivery.connectFailed(ex, this.sender, this.setting)).build();
		}
		catch (RuntimeException ex) {
			failure = ex;
			current = DownHealth.of(ex).build();
		}
		// A server that cannot be reached is tried again at the next check, so that its recovery is seen at once
		// (and wakes the outbox). Any answer holds for the interval, a refusal too: a 421 or 454 is how a provider
		// says it counts connections, and checking again at once would log in every few seconds.
		this.last = (failure != null && unreachable(failure)) ? null : current;
		this.lastAt = System.nanoTime();
		return current;
	}

	/**
	 * Returns whether a failure means that no server answered: the connection was refused or timed out, the host is
	 * unknown or has no route, or the connection was reset or closed before the server's greeting.
	 * @param failure what connecting threw
	 * @return whether the server could not be reached
	 */
	static boolean unreachable(Throwable failure) {
		int depth = 0;
		for (Throwable current = failure; current != null && depth < 16; current = current.getCause(), depth++) {
			if (isMailConnectException(current) || current instanceof ConnectException
					|| current instanceof SocketTimeoutException || current instanceof UnknownHostException
					|| current instanceof NoRouteToHostException || beforeGreeting(current)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isMailConnectException(Throwable failure) {
		// Angus Mail's failure to open the socket, outside the Jakarta Mail API: matched by name, not linked.
		return failure.getClass().getName().equals("org.eclipse.angus.mail.util.MailConnectException");
	}

	private static boolean beforeGreeting(Throwable failure) {
		if (!(failure instanceof MessagingException) || !thrownOpeningTheConnection(failure)) {
			return false;
		}
		// Angus Mail tells a connection that broke before the greeting (a reset, or closed without a word) only by
		// where it failed and in words; a greeting with a reply code, such as 421, is an answer.
		String message = failure.getMessage();
		return failure.getCause() instanceof SocketException
				|| (message != null && message.endsWith("response: [EOF]"));
	}

	private static boolean thrownOpeningTheConnection(Throwable failure) {
		for (StackTraceElement frame : failure.getStackTrace()) {
			// Angus Mail opens the socket and reads the greeting in openServer; EHLO, STARTTLS and the login come
			// after it returns.
			if (frame.getMethodName().equals("openServer") && frame.getClassName().endsWith(".SMTPTransport")) {
				return true;
			}
		}
		return false;
	}

}
