package io.attach.sample.events;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores the handled events in the application's database, in the {@code handled_events} table its migrations
 * create.
 *
 * @author attach
 */
@Repository
class EventLog {

	private final JdbcClient jdbc;

	EventLog(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void record(HandledEvent event) {
		// Times as epoch milliseconds, as attach's own tables keep them: no time-zone conversion on any database.
		this.jdbc
			.sql("INSERT INTO handled_events (message_id, user_id, email, created_at, handled_at)"
					+ " VALUES (:messageId, :userId, :email, :createdAt, :handledAt)")
			.param("messageId", event.messageId())
			.param("userId", event.userId())
			.param("email", event.email())
			.param("createdAt", event.createdAt().toEpochMilli())
			.param("handledAt", event.handledAt().toEpochMilli())
			.update();
	}

	List<HandledEvent> newest(int limit) {
		// The key grows with every insert, so it orders by handling without an index of its own.
		return this.jdbc
			.sql("SELECT message_id, user_id, email, created_at, handled_at FROM handled_events ORDER BY id DESC")
			.withMaxRows(limit)
			.query((row, number) -> new HandledEvent(row.getString("message_id"), row.getLong("user_id"),
					row.getString("email"), Instant.ofEpochMilli(row.getLong("created_at")),
					Instant.ofEpochMilli(row.getLong("handled_at"))))
			.list();
	}

}
