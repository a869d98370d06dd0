package io.attach.messaging;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.attach.core.Timeouts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The messages each group handled, in a table of the attached database: a handler runs in a transaction that first
 * records its message, so that its effects and the record commit together and a redelivery finds the record and is
 * dropped. Ids older than the retention are deleted periodically.
 *
 * @author attach
 */
final class Inbox implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(Inbox.class);

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final InboxTable table;

	private final Duration retention;

	private final Duration purgeInterval;

	private final Clock clock;

	private @Nullable ScheduledExecutorService purger;

	Inbox(DataSource dataSource, PlatformTransactionManager transactionManager, String table, Duration retention,
			Duration purgeInterval, Clock clock) {
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(transactionManager);
		this.table = new InboxTable(table);
		this.retention = retention;
		this.purgeInterval = purgeInterval;
		this.clock = clock;
	}

	/**
	 * Creates the table when it is missing, or checks that it is there.
	 * @param create whether to create it
	 * @throws IllegalStateException if the table is missing and may not be created
	 */
	void initialize(boolean create) {
		String product = Objects.requireNonNull(
				this.jdbc.execute((ConnectionCallback<String>) (connection) -> productName(connection)));
		List<String> statements = this.table.create(product);
		if (create) {
			statements.forEach(this.jdbc::execute);
			return;
		}
		try {
			this.jdbc.queryForList(this.table.probe());
		}
		catch (DataAccessException ex) {
			throw new IllegalStateException("The inbox table " + this.table.table() + " is missing and"
					+ " attach.messaging.inbox.initialize-schema is 'never': run " + String.join("; ", statements)
					+ ", or set it to 'always'", ex);
		}
	}

	private static String productName(Connection connection) throws java.sql.SQLException {
		return connection.getMetaData().getDatabaseProductName();
	}

	/**
	 * Runs a handler once per group and message: in a transaction that first records the pair, and not at all when
	 * the pair was recorded before.
	 * @param group the group
	 * @param id the message's id
	 * @param work the handler's work
	 * @return {@code false} if the group had handled the message before
	 * @throws Exception what the work threw, after rolling back its effects and the record
	 */
	boolean handleOnce(String group, String id, Work work) throws Exception {
		try {
			return Boolean.TRUE.equals(this.transactions.execute((status) -> {
				// First, so that a duplicate costs no handler call, and because PostgreSQL lets a transaction do
				// nothing more after a failed statement.
				if (!record(group, id)) {
					status.setRollbackOnly();
					return false;
				}
				try {
					work.run();
				}
				catch (RuntimeException ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new WorkFailure(ex);
				}
				return true;
			}));
		}
		catch (WorkFailure failure) {
			throw (Exception) Objects.requireNonNull(failure.getCause());
		}
	}

	private boolean record(String group, String id) {
		try {
			this.jdbc.update(this.table.insert(), group, id, this.clock.millis());
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * Deletes the records older than the retention.
	 * @return how many were deleted
	 */
	int purge() {
		Instant before = this.clock.instant().minus(this.retention);
		return this.jdbc.update(this.table.purge(), before.toEpochMilli());
	}

	@Override
	public synchronized void start() {
		if (this.purger == null) {
			this.purger = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "attach-inbox-purge");
				thread.setDaemon(true);
				return thread;
			});
			long interval = Timeouts.millis(this.purgeInterval);
			this.purger.scheduleWithFixedDelay(this::purgeQuietly, interval, interval,
					TimeUnit.MILLISECONDS);
		}
	}

	private void purgeQuietly() {
		try {
			int deleted = purge();
			if (deleted > 0 && logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " inbox records older than " + this.retention);
			}
		}
		catch (RuntimeException ex) {
			// The next round tries again: a database down now must not end the purge for good.
			logger.warn("Could not delete old records from the inbox table " + this.table.table() + ": " + ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.purger != null) {
			this.purger.shutdownNow();
			this.purger = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.purger != null;
	}

	DataSource getDataSource() {
		return this.dataSource;
	}

	String getTable() {
		return this.table.table();
	}

	/**
	 * A handler's work.
	 */
	@FunctionalInterface
	interface Work {

		void run() throws Exception;

	}

	/**
	 * Carries a checked exception of the work out of the transaction, which it rolls back.
	 */
	private static final class WorkFailure extends RuntimeException {

		private static final long serialVersionUID = 1L;

		WorkFailure(Exception cause) {
			super(cause);
		}

	}

}
