package io.attach.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.attach.health.DownHealth;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Checks the attached database with a bounded {@link Connection#isValid(int)}, and leaves logging to the monitor,
 * which logs state changes rather than every failed check.
 *
 * @author attach
 */
final class DataSourceCheck implements HealthIndicator {

	private static final int VALIDATION_TIMEOUT_SECONDS = 1;

	private final DataSource dataSource;

	DataSourceCheck(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public Health health() {
		try (Connection connection = this.dataSource.getConnection()) {
			Health.Builder health = connection.isValid(VALIDATION_TIMEOUT_SECONDS) ? Health.up() : Health.down();
			return health.withDetail("database", connection.getMetaData().getDatabaseProductName()).build();
		}
		catch (SQLException | RuntimeException ex) {
			return DownHealth.of(ex).build();
		}
	}

}
