package io.attach.jdbc;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import io.attach.resilience.Rejection;

/**
 * Thrown by the attached database's {@code getConnection()} instead of waiting for a connection, while its circuit
 * breaker is open or too many calls already wait on it. Transient: a retry after {@link #getRetryAfter()} may
 * succeed. Spring's JDBC support wraps it in a {@code CannotGetJdbcConnectionException}.
 *
 * @author attach
 */
public final class DatabaseUnavailableException extends SQLTransientConnectionException {

	// The SQL state class of connection exceptions, which Spring reads as a resource failure.
	private static final String SQL_STATE = "08001";

	private final String resourceName;

	private final Duration retryAfter;

	DatabaseUnavailableException(Rejection rejection) {
		super(rejection.message(), SQL_STATE);
		this.resourceName = rejection.resource().name();
		this.retryAfter = rejection.retryAfter();
	}

	/**
	 * Returns the name of the resource that was not called.
	 * @return the resource name, such as {@code database}
	 */
	public String getResourceName() {
		return this.resourceName;
	}

	/**
	 * Returns when a retry may succeed, in whole seconds, as for a {@code Retry-After} header.
	 * @return the time to wait, at least one second
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

}
