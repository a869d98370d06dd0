package io.attach.outbox;

import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * Keeps outbox items in a table of the attached database, so that an item commits or rolls back with the caller's
 * transaction, and the instances of one application share the work through leases.
 * <p>
 * Rows carry the application they belong to: applications that share a database, and so the table, never take each
 * other's items. The table is created, or given that column, only when it lacks it, so a database user that may only
 * read and write an existing table is enough.
 *
 * @author attach
 */
public final class JdbcOutboxStore implements OutboxStore {

	private static final Log logger = LogFactory.getLog(JdbcOutboxStore.class);

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

	private static final int MAX_ERROR = 1000;

	static final int MAX_APPLICATION = 128;

	private static final String COLUMNS = "seq, application, channel, item_id, payload, enqueued_at, attempts,"
			+ " next_attempt_at, lease_owner, lease_until, parked_at, last_error";

	private final DataSource dataSource;

	private final JdbcTemplate jdbc;

	private final String table;

	private final String application;

	private volatile boolean initialized;

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
		this.application = application;
	}

	/**
	 * Makes sure the table exists with every column, creating or extending it only when it does not, outside any
	 * transaction: DDL commits implicitly on some databases.
	 * @return whether the table is ready
	 */
	public boolean initialize() {
		if (this.initialized) {
			return true;
		}
		List<String> ddl = List.of();
		try {
			Shape shape = shape();
			if (shape != Shape.READY) {
				String product = JdbcUtils.extractDatabaseMetaData(this.dataSource,
						DatabaseMetaData::getDatabaseProductName);
				ddl = (shape == Shape.MISSING) ? createTable(product) : addApplication(product);
				try {
					this.jdbc.execute(ddl.get(0));
					createIndex(ddl.get(1));
					logger.info("Outbox table " + this.table + ((shape == Shape.MISSING) ? " created" : " now keeps"
							+ " the application each item belongs to"));
				}
				catch (DataAccessException ex) {
					// Another instance may have done it meanwhile; if not, the user may not change the schema.
					if (shape() != Shape.READY) {
						throw ex;
					}
				}
			}
			this.initialized = true;
			warnOfUnassignedItems();
			if (this.lastProblem != null) {
				logger.info("Outbox table " + this.table + " is ready");
			}
		}
		catch (DataAccessException | MetaDataAccessException ex) {
			problem(ex, ddl);
		}
		return this.initialized;
	}

	private Shape shape() {
		// A query that reads nothing works with the least privileges, unlike CREATE TABLE IF NOT EXISTS, and fails
		// with a grammar error (class 42) when the table or a column is missing; other failures propagate.
		try {
			this.jdbc.queryForList("SELECT " + COLUMNS + " FROM " + this.table + " WHERE 1 = 0");
			return Shape.READY;
		}
		catch (BadSqlGrammarException ex) {
			logger.debug("Outbox table " + this.table + " is missing or incomplete: " + ex.getMessage());
		}
		try {
			this.jdbc.queryForList("SELECT seq FROM " + this.table + " WHERE 1 = 0");
			return Shape.WITHOUT_APPLICATION;
		}
		catch (BadSqlGrammarException ex) {
			return Shape.MISSING;
		}
	}

	private void createIndex(String statement) {
		try {
			this.jdbc.execute(statement);
		}
		catch (DataAccessException ex) {
			// Only a matter of speed, and another instance may have created it meanwhile.
			logger.warn("Could not index the outbox table " + this.table + " (" + ex.getMessage() + "); unless it is"
					+ " indexed already, have this run: " + statement);
		}
	}

	private void warnOfUnassignedItems() {
		Long unassigned = this.jdbc.queryForObject(
				"SELECT COUNT(*) FROM " + this.table + " WHERE application IS NULL", Long.class);
		if (unassigned != null && unassigned > 0) {
			// Any application sharing the table may have queued them: taking them could send another one's mail.
			logger.warn(unassigned + " item(s) in the outbox table " + this.table + " were queued before items were"
					+ " kept by application, and no application delivers them. If they are this application's, run: "
					+ "UPDATE " + this.table + " SET application = '" + this.application.replace("'", "''")
					+ "' WHERE application IS NULL");
		}
	}

	private void problem(Exception ex, List<String> ddl) {
		// The driver's own words, such as "permission denied for schema app", rather than Spring's wrapping.
		String problem = NestedExceptionUtils.getMostSpecificCause(ex).getMessage();
		boolean again = problem != null && problem.equals(this.lastProblem);
		this.lastProblem = problem;
		String message = (ddl.isEmpty()) ? "Cannot use the outbox table " + this.table + " yet; will try again: " + problem
				: "Cannot prepare the outbox table " + this.table + "; will try again: " + problem
						+ ". Unless the application's database user may change the schema, have this run once,"
						+ " and grant the user SELECT, INSERT, UPDATE and DELETE on the table: "
						+ String.join("; ", ddl);
		// Said once per cause: the relay asks again every round until the table is ready.
		if (again) {
			logger.debug(message);
		}
		else {
			logger.warn(message);
		}
	}

	/**
	 * Returns the statements that create the table and its index on a database.
	 * @param product the database's product name, as its JDBC driver gives it
	 * @return the statements
	 */
	List<String> createTable(String product) {
		String lower = product.toLowerCase(Locale.ROOT);
		String key;
		String blob;
		if (lower.contains("mysql") || lower.contains("mariadb")) {
			key = "BIGINT AUTO_INCREMENT PRIMARY KEY";
			blob = "LONGBLOB";
		}
		else {
			// An identity column, unlike SERIAL, needs no grant on its sequence for a user that may only insert.
			key = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
			blob = lower.contains("postgres") ? "BYTEA" : "BLOB";
		}
		// Times are epoch milliseconds: no time-zone conversion between instances, drivers or databases.
		return List.of("CREATE TABLE IF NOT EXISTS " + this.table + " (seq " + key + ", application VARCHAR("
				+ MAX_APPLICATION + ") NOT NULL, channel VARCHAR(64) NOT NULL, item_id VARCHAR(998) NOT NULL, payload "
				+ blob + " NOT NULL, enqueued_at BIGINT NOT NULL, attempts INT NOT NULL, next_attempt_at BIGINT NOT NULL,"
				+ " lease_owner VARCHAR(36), lease_until BIGINT, parked_at BIGINT, last_error VARCHAR(" + MAX_ERROR + "))",
				index(lower));
	}

	private List<String> addApplication(String product) {
		// Nullable: the rows already there belong to no known application, and no application takes them.
		return List.of("ALTER TABLE " + this.table + " ADD COLUMN application VARCHAR(" + MAX_APPLICATION + ")",
				index(product.toLowerCase(Locale.ROOT)));
	}

	private String index(String product) {
		// Serves the claim (oldest due first) and the count of each round.
		int dot = this.table.indexOf('.');
		String name = this.table.substring(dot + 1);
		name = name.substring(0, Math.min(name.length(), 50)) + "_queue";
		// H2 looks an unqualified index name up in the default schema; PostgreSQL refuses a qualified one.
		if (dot > 0 && product.contains("h2")) {
			name = this.table.substring(0, dot + 1) + name;
		}
		// MySQL has no IF NOT EXISTS for indexes; MariaDB, PostgreSQL and H2 do.
		String create = (product.contains("mysql")) ? "CREATE INDEX " : "CREATE INDEX IF NOT EXISTS ";
		return create + name + " ON " + this.table + " (application, channel, parked_at, seq)";
	}

	@Override
	public void add(String channel, String id, byte[] payload) {
		long now = System.currentTimeMillis();
		this.jdbc.update("INSERT INTO " + this.table + " (application, channel, item_id, payload, enqueued_at, attempts,"
				+ " next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?)", this.application, channel, id, payload, now, now);
	}

	@Override
	public List<OutboxItem> claim(String channel, int max, Duration lease) {
		long now = System.currentTimeMillis();
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
				now + lease.toMillis(), now);
		return this.jdbc.query(
				"SELECT seq, item_id, payload, enqueued_at, attempts FROM " + this.table + " WHERE lease_owner = ? AND seq IN "
						+ seqs + " ORDER BY seq",
				(rs, row) -> new OutboxItem(rs.getLong(1), rs.getString(2), rs.getBytes(3),
						Instant.ofEpochMilli(rs.getLong(4)), rs.getInt(5)),
				this.owner);
	}

	@Override
	public void delivered(String channel, OutboxItem item) {
		// Whoever holds the lease now, the item was delivered.
		this.jdbc.update("DELETE FROM " + this.table + " WHERE seq = ?", item.sequence());
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
	public OutboxStats stats(String channel) {
		return this.jdbc.queryForObject("SELECT SUM(CASE WHEN parked_at IS NULL THEN 1 ELSE 0 END),"
				+ " SUM(CASE WHEN parked_at IS NULL THEN 0 ELSE 1 END),"
				+ " MIN(CASE WHEN parked_at IS NULL THEN enqueued_at END) FROM " + this.table + " WHERE application = ?"
						+ " AND channel = ?",
				(rs, row) -> {
					long oldest = rs.getLong(3);
					Instant oldestAt = rs.wasNull() ? null : Instant.ofEpochMilli(oldest);
					return new OutboxStats(rs.getLong(1), rs.getLong(2), oldestAt);
				}, this.application, channel);
	}

	@Override
	public String location() {
		return "table " + this.table;
	}

	private enum Shape {

		READY, WITHOUT_APPLICATION, MISSING

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
