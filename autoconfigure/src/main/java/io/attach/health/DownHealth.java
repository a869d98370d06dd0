package io.attach.health;

import io.attach.core.ConnectionProblem;

import org.springframework.boot.health.contributor.Health;

/**
 * Builds the {@code DOWN} health of a failed check: Boot's {@code error} detail, and a {@code cause} detail in plain
 * words when the failure is one of the network or TLS failures {@link ConnectionProblem} reads, such as a server that
 * answered in plain text on a TLS connection.
 *
 * @author attach
 */
public final class DownHealth {

	private static final String URL = "the resource's URL";

	private DownHealth() {
	}

	/**
	 * Starts the health of a check that failed.
	 * @param failure what the check threw
	 * @return a {@code DOWN} builder with the failure's details, to add to
	 */
	public static Health.Builder of(Throwable failure) {
		return of(failure, false);
	}

	/**
	 * Starts the health of a check that failed on a connection that may begin with a TLS handshake.
	 * @param failure what the check threw
	 * @param tls whether the connection begins with a TLS handshake, where no answer may mean a plain-text server
	 * @return a {@code DOWN} builder with the failure's details, to add to
	 */
	public static Health.Builder of(Throwable failure, boolean tls) {
		Health.Builder health = Health.down(failure);
		ConnectionProblem.of(failure, null, URL)
			.map((problem) -> tls ? problem.onTls(URL) : problem)
			.ifPresent((problem) -> health.withDetail("cause", problem.cause()));
		return health;
	}

}
