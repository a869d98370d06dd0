package io.attach.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * The health check's own connection to the attached database, kept apart from the application's pool so that a pool
 * busy with slow requests is never taken for a database that is down, which would open its breaker.
 *
 * @author attach
 */
final class DatabaseCheckConnection implements AutoCloseable {

	// Hikari refuses shorter waits for a connection.
	private static final Duration MIN_WAIT = Duration.ofMillis(250);

	private final HikariDataSource pool;

	DatabaseCheckConnection(JdbcConnectionDetails details, Duration checkTimeout) {
		HikariDataSource pool = new HikariDataSource();
		pool.setPoolName("attach-database-check");
		pool.setJdbcUrl(details.getJdbcUrl());
		pool.setUsername(details.getUsername());
		pool.setPassword(details.getPassword());
		pool.setDriverClassName(details.getDriverClassName());
		// One connection, kept open: a check every few seconds must not cost the database a login each time.
		pool.setMaximumPoolSize(1);
		pool.setMinimumIdle(1);
		pool.setConnectionTimeout(Math.max(MIN_WAIT.toMillis(), checkTimeout.toMillis()));
		pool.setValidationTimeout(Math.max(MIN_WAIT.toMillis(), checkTimeout.toMillis()));
		// Started while the database may be down: the check says so, startup does not fail for it.
		pool.setInitializationFailTimeout(-1);
		this.pool = pool;
	}

	DataSource dataSource() {
		return this.pool;
	}

	@Override
	public void close() {
		this.pool.close();
	}

}
