package io.attach.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Runs the statements that look at and change the outbox table on one connection whose waits for the table's locks
 * are short, so that a change queued behind another transaction gives up instead of waiting, possibly for ever (MySQL
 * and MariaDB wait a year by default), while every insert into the table queues behind it.
 *
 * @author attach
 */
final class SchemaSession {

	private static final Log logger = LogFactory.getLog(SchemaSession.class);

	/**
	 * How long a statement waits for a lock another transaction holds on the table before it gives up, to be tried
	 * again the next round: long enough to outlast the short transactions that insert and claim items, short enough
	 * that the startup thread, and the inserts that queue behind a waiting ALTER TABLE, are held up only briefly.
	 */
	static final Duration LOCK_WAIT = Duration.ofSeconds(5);

	// Bounds the work itself, also where no lock setting applies: generous, since a database that copies the table
	// to change it (H2, older MySQL) needs longer for a large one, and giving up only repeats the work next round.
	private static final Duration STATEMENT_LIMIT = Duration.ofSeconds(60);

	// Lock wait timeouts and cancelled statements: PostgreSQL's lock_not_available and query_canceled (also H2's),
	// MariaDB's statement timeout; MySQL's and MariaDB's lock wait timeout, MariaDB's and MySQL's statement timeouts,
	// H2's lock timeout and cancelled statement.
	private static final Set<String> TIMEOUT_STATES = Set.of("55P03", "57014", "70100");

	private static final Set<Integer> TIMEOUT_CODES = Set.of(1205, 1969, 3024, 50200, 57014);

	private SchemaSession() {
	}

	/**
	 * Runs work on one connection of a data source with its lock wait shortened, and restores it afterwards.
	 * @param dataSource the data source
	 * @param template the template whose exception translation the work's template shares
	 * @param work the work
	 */
	static void run(DataSource dataSource, JdbcTemplate template, Work work) {
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try {
			String product = connection.getMetaData().getDatabaseProductName();
			JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
			jdbc.setExceptionTranslator(template.getExceptionTranslator());
			jdbc.setQueryTimeout((int) STATEMENT_LIMIT.toSeconds());
			LockWait lockWait = LockWait.of(product);
			String previous = lockWait.shorten(jdbc);
			try {
				work.run(jdbc, product);
			}
			finally {
				lockWait.restore(jdbc, previous);
			}
		}
		catch (SQLException ex) {
			DataAccessException translated = template.getExceptionTranslator().translate("outbox schema", null, ex);
			throw (translated != null) ? translated : new UncategorizedSQLException("outbox schema", null, ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/**
	 * Tells whether a failure is a statement that gave up waiting for a lock, or was cancelled for taking too long.
	 * @param ex the failure
	 * @return whether it timed out
	 */
	static boolean timedOut(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLTimeoutException) {
				return true;
			}
			if (cause instanceof SQLException sql
					&& (TIMEOUT_STATES.contains(sql.getSQLState()) || TIMEOUT_CODES.contains(sql.getErrorCode()))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Work on the session's connection.
	 */
	@FunctionalInterface
	interface Work {

		void run(JdbcTemplate jdbc, String product);

	}

	/**
	 * A database's setting for how long a statement waits for a lock, changed for the session and put back after.
	 */
	private enum LockWait {

		POSTGRESQL {

			@Override
			String shorten(JdbcTemplate jdbc) {
				String previous = jdbc.queryForObject("SELECT current_setting('lock_timeout')", String.class);
				jdbc.queryForObject("SELECT set_config('lock_timeout', ?, false)", String.class,
						LOCK_WAIT.toMillis() + "ms");
				return (previous != null) ? previous : "0";
			}

			@Override
			void put(JdbcTemplate jdbc, String previous) {
				jdbc.queryForObject("SELECT set_config('lock_timeout', ?, false)", String.class, previous);
			}

		},

		MYSQL {

			@Override
			String shorten(JdbcTemplate jdbc) {
				Long previous = jdbc.queryForObject("SELECT @@SESSION.lock_wait_timeout", Long.class);
				jdbc.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT.toSeconds());
				return String.valueOf((previous != null) ? previous : 31536000L);
			}

			@Override
			void put(JdbcTemplate jdbc, String previous) {
				// A number read from the server: nothing to inject.
				jdbc.execute("SET SESSION lock_wait_timeout = " + Long.parseLong(previous));
			}

		},

		// H2 gives up after its own lock timeout (2 s by default); others are bounded by the statement limit.
		OTHER {

			@Override
			String shorten(JdbcTemplate jdbc) {
				return "";
			}

			@Override
			void put(JdbcTemplate jdbc, String previous) {
			}

		};

		static LockWait of(String product) {
			String lower = product.toLowerCase(Locale.ROOT);
			if (lower.contains("postgres")) {
				return POSTGRESQL;
			}
			return (lower.contains("mysql") || lower.contains("mariadb")) ? MYSQL : OTHER;
		}

		abstract String shorten(JdbcTemplate jdbc);

		abstract void put(JdbcTemplate jdbc, String previous);

		void restore(JdbcTemplate jdbc, String previous) {
			try {
				put(jdbc, previous);
			}
			catch (RuntimeException ex) {
				// Only a connection that broke meanwhile refuses it, and the pool drops such a one.
				logger.debug("Could not restore the lock wait of an outbox schema connection", ex);
			}
		}

	}

}
