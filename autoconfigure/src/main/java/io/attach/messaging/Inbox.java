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
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.UnexpectedRollbackException;
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
				requireTransactionOfDataSource();
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
	 * Tells whether {@link #handleAllOnce} can run a batch: its transaction manager is a JDBC one, whose savepoints
	 * undo one handler's work alone. A JPA manager is not: a handler's savepoint rolled back would leave its changes
	 * in the persistence context the others share, to be flushed with theirs.
	 * @return whether batches are run
	 */
	boolean batches() {
		return this.transactionManager instanceof DataSourceTransactionManager;
	}

	/**
	 * Runs the handlers of messages of one group that arrived together in one transaction, so that they cost one
	 * commit: records them all first, in one round trip, then runs each handler after a savepoint. A handler that
	 * throws, or leaves the transaction marked rollback-only, is rolled back to its savepoint with its record, so
	 * that its redelivery is handled; the others commit.
	 * @param group the group
	 * @param messages the messages, none handled by the group before
	 * @param work runs the handler of the message at an index
	 * @return what each handler threw, {@code null} for those handled
	 * @throws RuntimeException if any of the messages was handled before, or the batch could not run or commit:
	 * then nothing of it happened
	 */
	List<@Nullable Throwable> handleAllOnce(String group, List<InboundMessage> messages, IndexedWork work) {
		return Objects.requireNonNull(this.transactions.execute((status) -> {
			requireTransactionOfDataSource();
			long now = this.clock.millis();
			this.jdbc.batchUpdate(this.table.insert(), messages.stream()
				.map((message) -> new Object[] { group, message.topic(), message.id(), now })
				.toList());
			List<@Nullable Throwable> failures = new ArrayList<>(messages.size());
			for (int i = 0; i < messages.size(); i++) {
				Object savepoint = status.createSavepoint();
				Throwable failure = null;
				try {
					work.run(i);
					if (status.isRollbackOnly()) {
						// As the commit of a transaction of its own would have said.
						failure = new UnexpectedRollbackException(
								"The handler's transaction was marked as rollback-only");
					}
				}
				catch (VirtualMachineError ex) {
					throw ex;
				}
				catch (Throwable ex) {
					failure = ex;
				}
				// Savepoints are left to the commit rather than released one by one, a round trip each: a batch is at
				// most a prefetch of them, and rolling back to one leaves its predecessors' work alone all the same.
				if (failure != null) {
					// Also clears the rollback-only mark a failed @Transactional of the handler left.
					status.rollbackToSavepoint(savepoint);
					InboundMessage message = messages.get(i);
					this.jdbc.update(this.table.delete(), group, message.topic(), message.id());
				}
				failures.add(failure);
			}
			return failures;
		}));
	}

	private void requireTransactionOfDataSource() {
		// A manager of another resource would leave the record to commit on its own, before the handler ran: a
		// failed handler's redelivery would then be dropped as a duplicate, and the message lost.
		if (!TransactionSynchronizationManager.hasResource(this.dataSource)) {
			throw new IllegalStateException("The inbox's transaction manager ("
					+ this.transactionManager.getClass().getName() + ") runs no transaction of the inbox's"
					+ " DataSource; set attach.messaging.inbox.transaction-manager to one that does");
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
	 * The handler's work for the message at an index of a batch.
	 */
	@FunctionalInterface
	interface IndexedWork {

		void run(int index) throws Exception;

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
