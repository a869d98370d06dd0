package io.attach.outbox;

import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.attach.core.Timeouts;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * Keeps outbox items in a table of the attached database, so that an item commits or rolls back with the caller's
 * transaction, and the instances of one application share the work through leases.
 * <p>
 * Rows carry the application they belong to: applications that share a database, and so the table, never take each
 * other's items; rows carry their channel, so the outboxes of one application share it too. The table is created, or
 * given the columns of a later version, only when it lacks them (see {@link OutboxTable}), so a database user that may
 * only read and write an existing table is enough; a team that forbids changing the schema at runtime turns that off
 * and is told the statements to run.
 * <p>
 * Rows that belong to no application, queued by an earlier version, are counted and reported while any remain, and
 * taken over only when the application is told to: another application sharing the table may have queued them.
 *
 * @author attach
 */
public final class JdbcOutboxStore implements OutboxStore {

	private static final Log logger = LogFactory.getLog(JdbcOutboxStore.class);

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

	private static final int MAX_ERROR = OutboxTable.MAX_ERROR;

	static final int MAX_APPLICATION = OutboxTable.MAX_APPLICATION;

	private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

	// How often the count of items that belong to no application is repeated at WARN while any remain.
	static final Duration UNASSIGNED_WARNING_INTERVAL = Duration.ofMinutes(5);

	// Undefined table or column: PostgreSQL's states, the standard's (MySQL, MariaDB, H2), and their own codes.
	private static final Set<String> MISSING_STATES = Set.of("42P01", "42703", "42S02", "42S22");

	private static final Set<Integer> MISSING_CODES = Set.of(1146, 1054, 42102, 42103, 42104, 42122);

	// Of those, an undefined column.
	private static final Set<String> MISSING_COLUMN_STATES = Set.of("42703", "42S22");

	private static final Set<Integer> MISSING_COLUMN_CODES = Set.of(1054, 42122);

	// Permission denied: PostgreSQL's state, MySQL's and MariaDB's codes, H2's code.
	private static final Set<Integer> DENIED_CODES = Set.of(1142, 1143, 90096);

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final String table;

	private final OutboxTable schema;

	private final String application;

	private final boolean adoptUnassigned;

	private final boolean initializeSchema;

	private final Duration unassignedWarningInterval;

	private final Object unassignedWarning = new Object();

	private long unassignedWarningDue = System.nanoTime();

	private volatile boolean initialized;

	// Whether the table is in PostgreSQL, found out by the relay's first claim.
	private volatile @Nullable Boolean postgres;

	private @Nullable String lastProblem;

	// Leases are taken in this store's name, so that a relay whose lease ran out cannot settle an item that another
	// instance has leased since.
	private final String owner = UUID.randomUUID().toString();

	/**
	 * Creates a store.
	 * @param dataSource the attached database
	 * @param table the table name, created when missing
	 * @param application the application whose items this store holds, shared by all its instances
	 */
	public JdbcOutboxStore(DataSource dataSource, String table, String application) {
		this(dataSource, table, application, false);
	}

	/**
	 * Creates a store.
	 * @param dataSource the attached database
	 * @param table the table name, created when missing
	 * @param application the application whose items this store holds, shared by all its instances
	 * @param adoptUnassigned whether this application takes over the items of its channels that belong to no
	 * application, queued by an earlier version
	 */
	public JdbcOutboxStore(DataSource dataSource, String table, String application, boolean adoptUnassigned) {
		this(dataSource, table, application, adoptUnassigned, UNASSIGNED_WARNING_INTERVAL);
	}

	/**
	 * Creates a store.
	 * @param dataSource the attached database
	 * @param table the table name
	 * @param application the application whose items this store holds, shared by all its instances
	 * @param adoptUnassigned whether this application takes over the items of its channels that belong to no
	 * application, queued by an earlier version
	 * @param initializeSchema whether the store creates the table, or adds the columns of a later version, when it
	 * lacks them; when not, it says which statements to run
	 */
	public JdbcOutboxStore(DataSource dataSource, String table, String application, boolean adoptUnassigned,
			boolean initializeSchema) {
		this(dataSource, table, application, adoptUnassigned, initializeSchema, UNASSIGNED_WARNING_INTERVAL);
	}

	JdbcOutboxStore(DataSource dataSource, String table, String application, boolean adoptUnassigned,
			Duration unassignedWarningInterval) {
		this(dataSource, table, application, adoptUnassigned, true, unassignedWarningInterval);
	}

	private JdbcOutboxStore(DataSource dataSource, String table, String application, boolean adoptUnassigned,
			boolean initializeSchema, Duration unassignedWarningInterval) {
		if (!TABLE_NAME.matcher(table).matches()) {
			throw new IllegalArgumentException("attach.outbox.table must be a plain table name, not '" + table + "'");
		}
		if (application.isBlank() || application.length() > MAX_APPLICATION) {
			throw new IllegalArgumentException("attach.outbox.application (else spring.application.name) must have 1 to "
					+ MAX_APPLICATION + " characters, not '" + application + "'");
		}
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.table = table;
		this.schema = new OutboxTable(table);
		this.application = application;
		this.adoptUnassigned = adoptUnassigned;
		this.initializeSchema = initializeSchema;
		this.unassignedWarningInterval = unassignedWarningInterval;
	}

	/**
	 * Makes sure the table exists at the latest version, creating it or adding the columns it lacks only when it
	 * does not and only when allowed to, outside any transaction: DDL commits implicitly on some databases.
	 * @return whether the table is ready
	 */
	@Override
	public boolean initialize() {
		if (this.initialized) {
			return true;
		}
		List<List<String>> ddl = new ArrayList<>(List.of(List.of()));
		try {
			try {
				prepare(ddl);
			}
			catch (DataAccessException | IllegalStateException ex) {
				// Waiting again behind a transaction that holds the table would only hold up the caller twice as long.
				if (ex instanceof SchemaNotInitializedException || SchemaSession.timedOut(ex)) {
					throw ex;
				}
				// Another instance may be changing the table right now, which some databases (H2) do by copying
				// it: look once more before telling anyone.
				pause();
				prepare(ddl);
			}
			this.initialized = true;
			if (!this.adoptUnassigned) {
				warnOfUnassignedItems();
			}
			if (this.lastProblem != null) {
				logger.info("Outbox table " + this.table + " is ready");
			}
		}
		catch (DataAccessException | IllegalStateException ex) {
			problem(ex, ddl.get(0));
		}
		return this.initialized;
	}

	private void prepare(List<List<String>> ddl) {
		SchemaSession.run(this.dataSource, this.jdbc, (jdbc, product) -> prepare(jdbc, product, ddl));
	}

	private void prepare(JdbcTemplate jdbc, String product, List<List<String>> ddl) {
		List<OutboxTable.Column> missing = missingColumns(jdbc);
		if (missing.isEmpty()) {
			return;
		}
		boolean create = missing.contains(OutboxTable.COLUMNS.get(0));
		List<String> statements = create ? this.schema.create(product) : this.schema.add(missing, product);
		ddl.set(0, statements);
		if (!this.initializeSchema) {
			throw new SchemaNotInitializedException(create ? "is missing"
					: "lacks the column(s) " + names(missing) + " of schema version " + OutboxTable.VERSION);
		}
		apply(jdbc, statements);
		logger.info("Outbox table " + this.table + (create ? " created"
				: " upgraded to schema version " + OutboxTable.VERSION + ", adding " + names(missing)));
	}

	private static void pause() {
		try {
			Thread.sleep(RETRY_PAUSE.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void apply(JdbcTemplate jdbc, List<String> ddl) {
		DataAccessException failure = null;
		for (String statement : ddl) {
			if (OutboxTable.isIndex(statement)) {
				createIndex(jdbc, statement);
				continue;
			}
			try {
				jdbc.execute(statement);
			}
			catch (DataAccessException ex) {
				if (SchemaSession.timedOut(ex)) {
					// The statements after it would wait behind the same transaction.
					throw ex;
				}
				// Another instance may have done it meanwhile; if not, the user may not change the schema. The
				// statements after it add other columns, and are tried all the same.
				failure = (failure != null) ? failure : ex;
			}
		}
		// Statements that succeed need not have done it, such as CREATE TABLE IF NOT EXISTS on a table there is.
		if (!missingColumns(jdbc).isEmpty()) {
			if (failure != null) {
				throw failure;
			}
			throw new IllegalStateException("it is still missing or incomplete after its statements ran");
		}
	}

	private List<OutboxTable.Column> missingColumns(JdbcTemplate jdbc) {
		// A query that reads nothing works with the least privileges, unlike CREATE TABLE IF NOT EXISTS, and fails
		// with an undefined table or column when the table or a column is missing. Anything else, such as a user
		// without SELECT on a table that exists, propagates: creating the table would not help.
		if (!missing(jdbc, OutboxTable.COLUMNS)) {
			return List.of();
		}
		logger.debug("Outbox table " + this.table + " is missing or lacks columns of schema version "
				+ OutboxTable.VERSION);
		if (missing(jdbc, OutboxTable.COLUMNS.subList(0, 1))) {
			return OutboxTable.COLUMNS;
		}
		// Column by column: a step another instance did in part is finished, not repeated.
		return OutboxTable.COLUMNS.stream().filter((column) -> missing(jdbc, List.of(column))).toList();
	}

	private boolean missing(JdbcTemplate jdbc, List<OutboxTable.Column> columns) {
		try {
			jdbc.queryForList(this.schema.probe(columns));
			return false;
		}
		catch (DataAccessException ex) {
			rethrowUnlessMissing(ex);
			return true;
		}
	}

	private static String names(List<OutboxTable.Column> columns) {
		return String.join(", ", columns.stream().map(OutboxTable.Column::name).toList());
	}

	private static void rethrowUnlessMissing(DataAccessException ex) {
		SQLException sql = sqlException(ex);
		if (sql == null || !(MISSING_STATES.contains(sql.getSQLState()) || MISSING_CODES.contains(sql.getErrorCode()))) {
			throw ex;
		}
	}

	private static boolean columnMissing(DataAccessException ex) {
		SQLException sql = sqlException(ex);
		return sql != null && (MISSING_COLUMN_STATES.contains(sql.getSQLState())
				|| MISSING_COLUMN_CODES.contains(sql.getErrorCode()));
	}

	private static @Nullable SQLException sqlException(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql) {
				return sql;
			}
		}
		return null;
	}

	private static boolean denied(Exception ex) {
		SQLException sql = sqlException(ex);
		return sql != null && ("42501".equals(sql.getSQLState()) || DENIED_CODES.contains(sql.getErrorCode()));
	}

	private void createIndex(JdbcTemplate jdbc, String statement) {
		try {
			jdbc.execute(statement);
		}
		catch (DataAccessException ex) {
			// Only a matter of speed, and another instance may have created it meanwhile.
			logger.warn("Could not index the outbox table " + this.table + " (" + ex.getMessage() + "); unless it is"
					+ " indexed already, have this run: " + statement);
		}
	}

	private void warnOfUnassignedItems() {
		synchronized (this.unassignedWarning) {
			long now = System.nanoTime();
			if (now - this.unassignedWarningDue < 0) {
				return;
			}
			Long unassigned = this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM " + this.table + " WHERE application IS NULL", Long.class);
			if (unassigned == null || unassigned == 0) {
				return;
			}
			this.unassignedWarningDue = now + this.unassignedWarningInterval.toNanos();
			// Any application sharing the table may have queued them: taking them could send another one's mail.
			logger.warn(unassigned + " item(s) in the outbox table " + this.table + " belong to no application:"
					+ " instances of an earlier version queued them (still running during a rolling upgrade, or"
					+ " stopped before delivering them), and no instance of this version delivers them. If they are"
					+ " this application's, run: UPDATE " + this.table + " SET application = '"
					+ this.application.replace("'", "''") + "' WHERE application IS NULL (or set"
					+ " attach.outbox.adopt-unassigned=true to have this application take them, also those that"
					+ " instances of the earlier version still queue). Repeated every "
					+ this.unassignedWarningInterval.toMinutes() + " minute(s) while any remain");
		}
	}

	private void problem(Exception ex, List<String> ddl) {
		// The driver's own words, such as "permission denied for schema app", rather than Spring's wrapping.
		String problem = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
		boolean again = problem != null && problem.equals(this.lastProblem);
		this.lastProblem = problem;
		String message;
		if (SchemaSession.timedOut(ex)) {
			message = "Another transaction holds a lock on the outbox table " + this.table + ", so it could not be "
					+ (ddl.isEmpty() ? "read" : "brought to schema version " + OutboxTable.VERSION) + " within "
					+ SchemaSession.LOCK_WAIT.toSeconds() + " s; will try again next round: " + problem
					+ (ddl.isEmpty() ? "" : ". If this repeats, end the transaction that holds the table, or have this"
							+ " run once when it has: " + String.join("; ", ddl));
		}
		else if (ddl.isEmpty() && denied(ex)) {
			message = "The application's database user may not use the outbox table " + this.table + "; will try"
					+ " again: " + problem + ". Have this run: GRANT SELECT, INSERT, UPDATE, DELETE ON " + this.table
					+ " TO " + user();
		}
		else if (ddl.isEmpty()) {
			message = "Cannot use the outbox table " + this.table + " yet; will try again: " + problem;
		}
		else if (ex instanceof SchemaNotInitializedException) {
			message = "The outbox table " + this.table + " " + problem + ", and attach.outbox.initialize-schema is"
					+ " never; will try again. Have this run once, and grant the application's database user SELECT,"
					+ " INSERT, UPDATE and DELETE on the table: " + String.join("; ", ddl);
		}
		else {
			message = "Cannot prepare the outbox table " + this.table + "; will try again: " + problem
					+ ". Unless the application's database user may change the schema, have this run once,"
					+ " and grant the user SELECT, INSERT, UPDATE and DELETE on the table: " + String.join("; ", ddl);
		}
		// Said once per cause: the relay asks again every round until the table is ready.
		if (again) {
			logger.debug(message);
		}
		else {
			logger.warn(message);
		}
	}

	private String user() {
		try {
			String user = JdbcUtils.extractDatabaseMetaData(this.dataSource, DatabaseMetaData::getUserName);
			return (user != null && !user.isBlank()) ? user : "the application's database user";
		}
		catch (MetaDataAccessException ex) {
			return "the application's database user";
		}
	}

	/**
	 * Returns the statements that create the table, at the latest version, and its index on a database.
	 * @param product the database's product name, as its JDBC driver gives it
	 * @return the statements
	 */
	List<String> createTable(String product) {
		return this.schema.create(product);
	}

	@Override
	public void add(String channel, OutboxMessage message) {
		long now = System.currentTimeMillis();
		String headers = message.encodedHeaders();
		if (message.contentType() == null && message.key() == null && headers.isEmpty()) {
			// The columns of schema version 2 only: a table not yet upgraded (the schema may not be changed, or its
			// upgrade failed) still takes mail, and every item without an envelope, as it did before.
			this.jdbc.update("INSERT INTO " + this.table + " (application, channel, item_id, payload, enqueued_at,"
					+ " attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?)", this.application, channel,
					message.id(), message.payload(), now, now);
			return;
		}
		try {
			this.jdbc.update("INSERT INTO " + this.table + " (application, channel, item_id, payload, enqueued_at,"
					+ " attempts, next_attempt_at, content_type, message_key, message_headers)"
					+ " VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)", this.application, channel, message.id(),
					message.payload(), now, now, message.contentType(), message.key(), headers.isEmpty() ? null : headers);
		}
		catch (DataAccessException ex) {
			if (!columnMissing(ex)) {
				throw ex;
			}
			List<OutboxTable.Column> envelope = OutboxTable.ENVELOPE;
			throw new IllegalStateException("The outbox table " + this.table + " lacks the column(s) " + names(envelope)
					+ " of schema version " + OutboxTable.VERSION + " that a message with a content type, key or"
					+ " headers needs: " + message + " was not queued. Let attach.outbox.initialize-schema add them, or"
					+ " have this run once: " + String.join("; ", this.schema.add(envelope, "")), ex);
		}
	}

	@Override
	public List<OutboxItem> claim(String channel, int max, Duration lease) {
		long now = System.currentTimeMillis();
		if (postgres()) {
			return claimOnPostgres(channel, max, now + Timeouts.millis(lease), now);
		}
		List<Long> due = this.jdbc.queryForList("SELECT seq FROM " + this.table
				+ " WHERE application = ? AND channel = ? AND parked_at IS NULL AND next_attempt_at <= ?"
				+ " AND (lease_until IS NULL OR lease_until < ?) ORDER BY seq LIMIT " + max, Long.class,
				this.application, channel, now, now);
		if (due.isEmpty()) {
			return Collections.emptyList();
		}
		String seqs = in(due);
		// Conditional on the lease being free, so that of two relays racing for a row only one gets it.
		this.jdbc.update("UPDATE " + this.table + " SET lease_owner = ?, lease_until = ? WHERE seq IN " + seqs
				+ " AND parked_at IS NULL AND (lease_until IS NULL OR lease_until < ?)", this.owner,
				now + Timeouts.millis(lease), now);
		List<OutboxItem> items = new ArrayList<>();
		List<Unreadable> unreadable = new ArrayList<>();
		this.jdbc.query(
				"SELECT seq, item_id, payload, enqueued_at, attempts, content_type, message_key, message_headers FROM "
						+ this.table + " WHERE lease_owner = ? AND seq IN " + seqs + " ORDER BY seq",
				(RowCallbackHandler) (rs) -> read(rs, items, unreadable), this.owner);
		unreadable.forEach((row) -> parkUnreadable(channel, row));
		return items;
	}

	// One statement rather than three, and committed without waiting for the database to flush it to disk: a lease is
	// only a hint, and one lost in a crash of the database at worst has an item sent again, which receivers drop.
	private List<OutboxItem> claimOnPostgres(String channel, int max, long leaseUntil, long now) {
		List<OutboxItem> items = new ArrayList<>();
		List<Unreadable> unreadable = new ArrayList<>();
		// A sub-query with LIMIT is never merged into the UPDATE, so the rows are chosen and locked once, and rows
		// another relay is claiming are skipped; no CTE ... AS MATERIALIZED, which PostgreSQL 10 and 11 do not parse.
		String claim = "UPDATE " + this.table + " SET lease_owner = ?, lease_until = ? WHERE seq IN (SELECT seq FROM "
				+ this.table + " WHERE application = ? AND channel = ? AND parked_at IS NULL AND next_attempt_at <= ?"
				+ " AND (lease_until IS NULL OR lease_until < ?) ORDER BY seq LIMIT " + max + " FOR UPDATE SKIP LOCKED)"
				+ " RETURNING seq, item_id, payload, enqueued_at, attempts, content_type, message_key, message_headers";
		relayTransaction((connection) -> {
			try (PreparedStatement statement = connection.prepareStatement(claim)) {
				statement.setString(1, this.owner);
				statement.setLong(2, leaseUntil);
				statement.setString(3, this.application);
				statement.setString(4, channel);
				statement.setLong(5, now);
				statement.setLong(6, now);
				try (ResultSet rs = statement.executeQuery()) {
					while (rs.next()) {
						read(rs, items, unreadable);
					}
				}
			}
		});
		unreadable.forEach((row) -> parkUnreadable(channel, row));
		// RETURNING keeps no order: oldest first, as everywhere else.
		items.sort(Comparator.comparingLong(OutboxItem::sequence));
		return items;
	}

	private static void read(ResultSet rs, List<OutboxItem> items, List<Unreadable> unreadable) throws SQLException {
		try {
			items.add(new OutboxItem(rs.getLong(1),
					new OutboxMessage(rs.getString(2), rs.getBytes(3), rs.getString(6), rs.getString(7),
							OutboxMessage.decodeHeaders(rs.getString(8))),
					Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5)));
		}
		catch (IllegalArgumentException ex) {
			unreadable.add(new Unreadable(rs.getLong(1), rs.getString(2), String.valueOf(ex.getMessage())));
		}
	}

	/**
	 * Runs the relay's own bookkeeping in a transaction that, on PostgreSQL, does not wait for its commit to reach
	 * the disk: the relay never runs in a caller's transaction, and what a crash of the database could lose of it (a
	 * lease, the removal of a delivered item) at worst has an item sent again, as at-least-once delivery allows; an
	 * item is never lost that way, since its insert committed durably before.
	 */
	private void relayTransaction(RelayWork work) {
		this.jdbc.execute((ConnectionCallback<Boolean>) (connection) -> {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				try (Statement statement = connection.createStatement()) {
					statement.execute("SET LOCAL synchronous_commit TO OFF");
				}
				work.run(connection);
				connection.commit();
				return Boolean.TRUE;
			}
			catch (SQLException | RuntimeException ex) {
				try {
					connection.rollback();
				}
				catch (SQLException rollback) {
					ex.addSuppressed(rollback);
				}
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		});
	}

	private boolean postgres() {
		Boolean postgres = this.postgres;
		if (postgres == null) {
			String product;
			try {
				product = JdbcUtils.extractDatabaseMetaData(this.dataSource, DatabaseMetaData::getDatabaseProductName);
			}
			catch (MetaDataAccessException ex) {
				throw new IllegalStateException("Could not tell which database the outbox table is in", ex);
			}
			postgres = product != null && product.toLowerCase(Locale.ROOT).contains("postgresql");
			this.postgres = postgres;
		}
		return postgres;
	}

	// Leased with the rest, a row no message can be made of would otherwise hold up the batch's delivery until its
	// lease ran out, every round, forever: reading it again cannot help, as with a spool file that is not whole.
	private void parkUnreadable(String channel, Unreadable row) {
		String reason = "cannot be read as a message: " + row.problem();
		this.jdbc.update("UPDATE " + this.table + " SET parked_at = ?, last_error = ?, lease_owner = NULL,"
				+ " lease_until = NULL WHERE seq = ? AND lease_owner = ?", System.currentTimeMillis(), truncate(reason),
				row.sequence(), this.owner);
		logger.warn("Outbox " + channel + ": parked " + row.id() + " (row seq " + row.sequence() + " of the table "
				+ this.table + "), which " + reason + "; it is kept, counted as parked, until fixed and requeued");
	}

	/**
	 * A leased row that no message can be made of.
	 *
	 * @param sequence its key
	 * @param id its item id, as stored
	 * @param problem what is wrong with it
	 */
	private record Unreadable(long sequence, @Nullable String id, String problem) {

	}

	@Override
	public void delivered(String channel, OutboxItem item) {
		// Whoever holds the lease now, the item was delivered.
		this.jdbc.update("DELETE FROM " + this.table + " WHERE seq = ?", item.sequence());
	}

	@Override
	public void delivered(String channel, List<OutboxItem> items) {
		// One statement, one commit: a commit per item costs the database a log flush each.
		if (!items.isEmpty()) {
			String delete = "DELETE FROM " + this.table + " WHERE seq IN "
					+ in(items.stream().map(OutboxItem::sequence).toList());
			if (postgres()) {
				relayTransaction((connection) -> {
					try (Statement statement = connection.createStatement()) {
						statement.executeUpdate(delete);
					}
				});
			}
			else {
				this.jdbc.update(delete);
			}
		}
	}

	@Override
	public void retry(String channel, OutboxItem item, Instant notBefore, String error) {
		this.jdbc.update("UPDATE " + this.table + " SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?,"
				+ " lease_owner = NULL, lease_until = NULL WHERE seq = ? AND lease_owner = ?", notBefore.toEpochMilli(),
				truncate(error), item.sequence(), this.owner);
	}

	@Override
	public void release(String channel, List<OutboxItem> items) {
		if (!items.isEmpty()) {
			this.jdbc.update("UPDATE " + this.table + " SET lease_owner = NULL, lease_until = NULL WHERE seq IN "
					+ in(items.stream().map(OutboxItem::sequence).toList()) + " AND lease_owner = ?", this.owner);
		}
	}

	@Override
	public void park(String channel, OutboxItem item, String reason) {
		this.jdbc.update("UPDATE " + this.table + " SET parked_at = ?, attempts = attempts + 1, last_error = ?,"
				+ " lease_owner = NULL, lease_until = NULL WHERE seq = ? AND lease_owner = ?", System.currentTimeMillis(),
				truncate(reason), item.sequence(), this.owner);
	}

	@Override
	public int requeueParked(String channel) {
		return this.jdbc.update("UPDATE " + this.table + " SET parked_at = NULL, attempts = 0, next_attempt_at = ?"
				+ " WHERE application = ? AND channel = ? AND parked_at IS NOT NULL", System.currentTimeMillis(),
				this.application, channel);
	}

	@Override
	public List<ParkedItem> parked(String channel, int limit) {
		return this.jdbc.query("SELECT item_id, attempts, last_error, enqueued_at FROM " + this.table
				+ " WHERE application = ? AND channel = ? AND parked_at IS NOT NULL ORDER BY seq LIMIT "
				+ Math.max(0, limit), (rs, row) -> new ParkedItem(rs.getString(1), rs.getInt(2), rs.getString(3),
						Instant.ofEpochMilli(rs.getLong(4))), this.application, channel);
	}

	@Override
	public boolean discardParked(String channel, String id) {
		return this.jdbc.update("DELETE FROM " + this.table + " WHERE application = ? AND channel = ? AND item_id = ?"
				+ " AND parked_at IS NOT NULL", this.application, channel, id) > 0;
	}

	@Override
	public boolean requeueParked(String channel, String id) {
		return this.jdbc.update("UPDATE " + this.table + " SET parked_at = NULL, attempts = 0, next_attempt_at = ?"
				+ " WHERE application = ? AND channel = ? AND item_id = ? AND parked_at IS NOT NULL",
				System.currentTimeMillis(), this.application, channel, id) > 0;
	}

	@Override
	public OutboxStats stats(String channel) {
		long unassigned = unassigned(channel);
		OutboxStats stats = this.jdbc.queryForObject("SELECT SUM(CASE WHEN parked_at IS NULL THEN 1 ELSE 0 END),"
				+ " SUM(CASE WHEN parked_at IS NULL THEN 0 ELSE 1 END),"
				+ " MIN(CASE WHEN parked_at IS NULL THEN enqueued_at END) FROM " + this.table + " WHERE application = ?"
						+ " AND channel = ?",
				(rs, row) -> {
					long oldest = rs.getLong(3);
					Instant oldestAt = rs.wasNull() ? null : Instant.ofEpochMilli(oldest);
					return new OutboxStats(rs.getLong(1), rs.getLong(2), oldestAt, unassigned);
				}, this.application, channel);
		return (stats != null) ? stats : new OutboxStats(0, 0, null, unassigned);
	}

	// Counted every time, and taken over when told to: instances of an earlier version may still be queueing them.
	private long unassigned(String channel) {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + this.table
				+ " WHERE application IS NULL AND channel = ?", Long.class, channel);
		if (count == null || count == 0) {
			return 0;
		}
		if (!this.adoptUnassigned) {
			warnOfUnassignedItems();
			return count;
		}
		int adopted = this.jdbc.update("UPDATE " + this.table + " SET application = ? WHERE application IS NULL"
				+ " AND channel = ?", this.application, channel);
		logger.info("Outbox " + channel + ": took over " + adopted + " item(s) in the table " + this.table
				+ " that belonged to no application (attach.outbox.adopt-unassigned)");
		return Math.max(0, count - adopted);
	}

	@Override
	public String location() {
		return "table " + this.table;
	}

	/**
	 * What the relay does in one of its transactions.
	 */
	@FunctionalInterface
	private interface RelayWork {

		void run(java.sql.Connection connection) throws SQLException;

	}

	/**
	 * Thrown when the table is not at the latest version and the store may not change it.
	 */
	private static final class SchemaNotInitializedException extends IllegalStateException {

		SchemaNotInitializedException(String message) {
			super(message);
		}

	}

	private static String in(List<Long> sequences) {
		// Numbers only, from the table's own key: no injection through this list.
		StringBuilder list = new StringBuilder("(");
		for (Long sequence : sequences) {
			list.append((list.length() > 1) ? "," : "").append(sequence.longValue());
		}
		return list.append(')').toString();
	}

	private static String truncate(String text) {
		return (text.length() <= MAX_ERROR) ? text : text.substring(0, MAX_ERROR);
	}

}
