package io.attach.messaging;

import java.util.List;
import java.util.Locale;

/**
 * The inbox table and the statements that create it, per database: one row per message a group handled, its primary
 * key the group, the topic and the message's id, so that a second insert of the same message fails. The topic is part
 * of it: a caller may reuse an id on two topics, and a group handling both must not drop the second as a duplicate.
 *
 * @author attach
 */
final class InboxTable {

	/**
	 * Longest group name, topic or message id, in characters: the three fit one primary key on every database attach
	 * supports (MariaDB and MySQL cap a key at 3072 bytes, four bytes a character in utf8mb4).
	 */
	static final int MAX_ID = 200;

	private final String table;

	InboxTable(String table) {
		this.table = table;
	}

	String table() {
		return this.table;
	}

	/**
	 * Returns the statements that create the table and the index the purge uses, when they are missing.
	 * @param product the database's product name, as its JDBC driver gives it
	 * @return the statements
	 */
	List<String> create(String product) {
		String lower = product.toLowerCase(Locale.ROOT);
		String columns = "group_name VARCHAR(" + MAX_ID + ") NOT NULL, topic VARCHAR(" + MAX_ID
				+ ") NOT NULL, message_id VARCHAR(" + MAX_ID + ") NOT NULL, handled_at BIGINT NOT NULL,"
				+ " PRIMARY KEY (group_name, topic, message_id)";
		String index = indexName();
		if (lower.contains("mysql") || lower.contains("mariadb")) {
			// MySQL has no CREATE INDEX IF NOT EXISTS: the index comes with the table.
			return List.of("CREATE TABLE IF NOT EXISTS " + this.table + " (" + columns + ", INDEX " + index
					+ " (handled_at))");
		}
		int dot = this.table.indexOf('.');
		// H2 looks an unqualified index name up in the default schema; PostgreSQL refuses a qualified one.
		String qualified = (dot > 0 && lower.contains("h2")) ? this.table.substring(0, dot + 1) + index : index;
		return List.of("CREATE TABLE IF NOT EXISTS " + this.table + " (" + columns + ")",
				"CREATE INDEX IF NOT EXISTS " + qualified + " ON " + this.table + " (handled_at)");
	}

	/**
	 * Returns a query that reads nothing and fails when the table or one of its columns is missing.
	 * @return the query
	 */
	String probe() {
		return "SELECT group_name, topic, message_id, handled_at FROM " + this.table + " WHERE 1 = 0";
	}

	String insert() {
		return "INSERT INTO " + this.table + " (group_name, topic, message_id, handled_at) VALUES (?, ?, ?, ?)";
	}

	String delete() {
		return "DELETE FROM " + this.table + " WHERE group_name = ? AND topic = ? AND message_id = ?";
	}

	String purge() {
		return "DELETE FROM " + this.table + " WHERE handled_at < ?";
	}

	private String indexName() {
		String name = this.table.substring(this.table.indexOf('.') + 1);
		return name.substring(0, Math.min(name.length(), 50)) + "_handled";
	}

}
