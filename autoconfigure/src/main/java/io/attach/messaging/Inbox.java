package io.attach.messaging;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.NestedTransactionNotSupportedException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The messages each group handled, in a table of the attached database: a handler runs in a transaction that first
 * records its message, so that its effects and the record commit together and a redelivery finds the record and is
 * dropped. Ids older than the retention are deleted periodically, once {@link #startPurge() started}.
 *
 * @author attach
 */
final class Inbox implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(Inbox.class);

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final PlatformTransactionManager transactionManager;

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
		this.transactionManager = transactionManager;
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
			try {
				this.jdbc.queryForList(this.table.probe());
			}
			catch (DataAccessException ex) {
				// CREATE TABLE IF NOT EXISTS leaves a table of another shape alone, such as one keyed without the topic.
				throw new IllegalStateException("The inbox table " + this.table.table() + " exists but lacks the"
						+ " columns of this version (" + ex.getMostSpecificCause().getMessage() + "): rename or drop it"
						+ " so that it is created again, as " + String.join("; ", statements), ex);
			}
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
	 * Runs a handler once per group and message: in a transaction that first records the message, and not at all
	 * when it was recorded before. A redelivery that arrives while the first delivery is still being handled waits on
	 * the first one's uncommitted record, then is dropped if that commits, or handled if it rolls back.
	 * @param group the group
	 * @param topic the message's topic
	 * @param id the message's id
	 * @param work the handler's work
	 * @return {@code false} if the group had handled the message before
	 * @throws Exception what the work threw, after rolling back its effects and the record
	 * @throws IllegalStateException if the transaction manager runs no transaction of the inbox's database
	 */
	boolean handleOnce(String group, String topic, String id, Work work) throws Exception {
		try {
			return Boolean.TRUE.equals(this.transactions.execute((status) -> {
				// A manager of another resource would leave the record to commit on its own, before the handler ran:
				// a failed handler's redelivery would then be dropped as a duplicate, and the message lost.
				if (!TransactionSynchronizationManager.hasResource(this.dataSource)) {
					throw new IllegalStateException("The inbox's transaction manager ("
							+ this.transactionManager.getClass().getName() + ") runs no transaction of the inbox's"
							+ " DataSource; set attach.messaging.inbox.transaction-manager to one that does");
				}
				// First, so that a duplicate costs no handler call, and because PostgreSQL lets a transaction do
				// nothing more after a failed statement.
				if (!record(group, topic, id)) {
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

	/**
	 * Runs the handlers of several messages of one group, each once, in one transaction that commits their records and
	 * effects together, so that the database flushes its log once for all of them rather than once each: each runs
	 * behind a savepoint, so that one that fails, or a message recorded before, rolls back its own record and effects
	 * only, and what it registered to run after the commit is told it rolled back, as when it has a transaction of its
	 * own. Nothing is reported until the transaction committed.
	 * @param group the group
	 * @param entries the messages and their handlers' work, in the order to run them
	 * @return each entry's result, in order
	 * @throws BatchNotPossibleException if the transaction manager cannot set savepoints, before anything ran
	 * @throws RuntimeException if the transaction failed as a whole, such as its commit: nothing of it committed
	 * @throws IllegalStateException if the transaction manager runs no transaction of the inbox's database
	 */
	List<Result> handleEach(String group, List<Entry> entries) {
		return Objects.requireNonNull(this.transactions.execute((status) -> {
			if (!TransactionSynchronizationManager.hasResource(this.dataSource)) {
				throw new IllegalStateException("The inbox's transaction manager ("
						+ this.transactionManager.getClass().getName() + ") runs no transaction of the inbox's"
						+ " DataSource; set attach.messaging.inbox.transaction-manager to one that does");
			}
			List<Result> results = new ArrayList<>(entries.size());
			for (Entry entry : entries) {
				results.add(handleBehindSavepoint(status, group, entry, results.isEmpty()));
			}
			return results;
		}));
	}

	private Result handleBehindSavepoint(TransactionStatus status, String group, Entry entry, boolean first) {
		Object savepoint;
		try {
			savepoint = status.createSavepoint();
		}
		catch (NestedTransactionNotSupportedException ex) {
			if (first) {
				throw new BatchNotPossibleException(ex);
			}
			throw ex;
		}
		List<TransactionSynchronization> before = TransactionSynchronizationManager.getSynchronizations();
		try {
			if (!record(group, entry.topic(), entry.id())) {
				status.rollbackToSavepoint(savepoint);
				return Result.DUPLICATE;
			}
			entry.work().run();
			status.releaseSavepoint(savepoint);
			return Result.HANDLED;
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			status.rollbackToSavepoint(savepoint);
			rollBackSynchronizations(before);
			return new Result(ex);
		}
	}

	// What a failed handler registered to run after the commit belongs to work that was rolled back: it is told so
	// now, as it would be in a transaction of its own, and does not run with the others' commit.
	private static void rollBackSynchronizations(List<TransactionSynchronization> before) {
		List<TransactionSynchronization> all = TransactionSynchronizationManager.getSynchronizations();
		if (all.size() == before.size()) {
			return;
		}
		TransactionSynchronizationManager.clearSynchronization();
		TransactionSynchronizationManager.initSynchronization();
		before.forEach(TransactionSynchronizationManager::registerSynchronization);
		for (TransactionSynchronization added : all) {
			if (!before.contains(added)) {
				try {
					added.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK);
				}
				catch (RuntimeException ex) {
					logger.debug("A synchronization of a failed handler threw after its rollback", ex);
				}
			}
		}
	}

	private boolean record(String group, String topic, String id) {
		try {
			this.jdbc.update(this.table.insert(), group, topic, id, this.clock.millis());
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

	/**
	 * Starts deleting the records older than the retention, every purge interval.
	 */
	synchronized void startPurge() {
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
	public synchronized void close() {
		if (this.purger != null) {
			this.purger.shutdownNow();
			this.purger = null;
		}
	}

	synchronized boolean isPurging() {
		return this.purger != null;
	}

	DataSource getDataSource() {
		return this.dataSource;
	}

	PlatformTransactionManager getTransactionManager() {
		return this.transactionManager;
	}

	String getTable() {
		return this.table.table();
	}

	/**
	 * A message to handle in a batch, and its handler's work.
	 *
	 * @param topic the message's topic
	 * @param id the message's id
	 * @param work the handler's work
	 */
	record Entry(String topic, String id, Work work) {

	}

	/**
	 * What became of one entry of a batch: handled, dropped as a duplicate, or failed with its handler's exception,
	 * its record and effects rolled back.
	 *
	 * @param failure what the handler threw, or {@code null} unless it failed
	 * @param duplicate whether the group had handled the message before
	 */
	record Result(@Nullable Throwable failure, boolean duplicate) {

		static final Result HANDLED = new Result(null, false);

		static final Result DUPLICATE = new Result(null, true);

		Result(Throwable failure) {
			this(failure, false);
		}

	}

	/**
	 * Thrown when the transaction manager sets no savepoints, so that messages are handled one transaction each.
	 */
	static final class BatchNotPossibleException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		BatchNotPossibleException(Throwable cause) {
			super(cause);
		}

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
