package io.attach.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

/**
 * What the health check of the attached database connects through: for a guarded Hikari pool, a small pool of its
 * own with the same settings, so that a pool busy with slow requests is never taken for a database that is down,
 * which would hold the breaker open; otherwise the application's pool itself, unguarded.
 *
 * @author attach
 */
final class DatabaseCheckConnection implements AutoCloseable {

	// Hikari refuses shorter waits for a connection.
	private static final long MIN_WAIT_MILLIS = 250;

	private final DataSource dataSource;

	private final @Nullable HikariDataSource own;

	DatabaseCheckConnection(DataSource dataSource, Duration checkTimeout) {
		DataSource pool = GuardedDataSources.unguarded(dataSource);
		if (GuardedDataSources.guardOf(dataSource).isPresent() && pool instanceof HikariDataSource hikari) {
			this.own = new HikariDataSource(checkConfig(hikari, checkTimeout));
			this.dataSource = this.own;
		}
		else {
			this.own = null;
			this.dataSource = pool;
		}
	}

	private static HikariConfig checkConfig(HikariDataSource pool, Duration checkTimeout) {
		// Every setting of the application's pool (TLS and driver properties, credentials providers, init SQL), so
		// that the check reaches the database exactly as requests do.
		HikariConfig config = new HikariConfig();
		pool.copyStateTo(config);
		config.setPoolName("attach-database-check");
		// Two connections, kept open: a check every few seconds must not cost a login, and one being replaced at
		// the end of its lifetime must not read as the database being down.
		config.setMaximumPoolSize(2);
		config.setMinimumIdle(2);
		long wait = Math.max(MIN_WAIT_MILLIS, checkTimeout.toMillis());
		config.setConnectionTimeout(wait);
		config.setValidationTimeout(wait);
		// Started while the database may be down: the check says so, startup does not fail for it.
		config.setInitializationFailTimeout(-1);
		// Not the application's pool: no metrics, health registry or MBean under its name. Hikari refuses to clear
		// either metrics setting while the other is set, and the application's pool may have copied one of them.
		if (config.getMetricRegistry() != null) {
			config.setMetricRegistry(null);
		}
		config.setMetricsTrackerFactory(null);
		config.setHealthCheckRegistry(null);
		config.setRegisterMbeans(false);
		return config;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	@Override
	public void close() {
		if (this.own != null) {
			this.own.close();
		}
	}

}
