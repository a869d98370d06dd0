package io.attach.messaging;

import java.util.Map;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link OutboxMessagePublisher}, storing in a real outbox table; no group subscribes, so what is published
 * stays in the table to be looked at.
 *
 * @author attach
 */
class OutboxMessagePublisherTests {

	private final ApplicationContextRunner runner = MessagingTestRunners.withDatabase();

	@Test
	void newMessageGetsAUuidAndIsStoredAsJsonWithItsTopic() {
		this.runner.run((context) -> {
			String id = publisher(context).publish("user.created", Map.of("email", "a@example.com"));
			assertThat(UUID.fromString(id)).hasToString(id);
			Map<String, Object> row = row(context, id);
			assertThat(new String((byte[]) row.get("payload"))).isEqualTo("{\"email\":\"a@example.com\"}");
			assertThat(row.get("content_type")).isEqualTo("application/json");
			assertThat(row.get("message_key")).isNull();
			assertThat(row.get("message_headers")).isEqualTo("attach-topic=user.created");
		});
	}

	@Test
	void keyHeadersAndTheCallersIdAreStored() {
		this.runner.run((context) -> {
			String id = publisher(context).publish(OutgoingMessage.of("user.created", "x")
				.withKey("user-1")
				.withHeader("tenant", "acme")
				.withId("user-1-created"));
			assertThat(id).isEqualTo("user-1-created");
			Map<String, Object> row = row(context, id);
			assertThat(row.get("message_key")).isEqualTo("user-1");
			assertThat(row.get("message_headers")).isEqualTo("tenant=acme&attach-topic=user.created");
		});
	}

	@Test
	void idOfTheLongestTheInboxHoldsIsAccepted() {
		this.runner.run((context) -> {
			String id = "x".repeat(InboxTable.MAX_ID);
			assertThat(publisher(context).publish(OutgoingMessage.of("t", "x").withId(id))).isEqualTo(id);
		});
	}

	@Test
	void idTooLongForTheInboxIsRefused() {
		this.runner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> publisher(context)
				.publish(OutgoingMessage.of("t", "x").withId("x".repeat(InboxTable.MAX_ID + 1))))
			.withMessageContaining("use 1 to 200 printable ASCII characters"));
	}

	@Test
	void idWithASpaceOrOutsideAsciiIsRefused() {
		this.runner.run((context) -> {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> publisher(context).publish(OutgoingMessage.of("t", "x").withId("a b")))
				.withMessageContaining("Invalid message id 'a?b'");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> publisher(context).publish(OutgoingMessage.of("t", "x").withId("caf\u00e9")));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> publisher(context).publish(OutgoingMessage.of("t", "x").withId("")));
		});
	}

	@Test
	void headerInAttachsOwnNamespaceIsRefused() {
		this.runner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> publisher(context)
				.publish(OutgoingMessage.of("t", "x").withHeader("Attach-Attempt", "9")))
			.withMessageContaining("Header 'Attach-Attempt'")
			.withMessageContaining("attach keeps for itself"));
	}

	@Test
	void payloadLargerThanTheLimitIsRefused() {
		this.runner.withPropertyValues("attach.messaging.max-payload-size=1KB").run((context) -> {
			// 1024 bytes as JSON, with its two quotes.
			String id = publisher(context).publish("t", "x".repeat(1022));
			assertThat(count(context, id)).isOne();
			assertThatIllegalArgumentException().isThrownBy(() -> publisher(context).publish("t", "x".repeat(1023)))
				.withMessageContaining("has 1025 bytes as JSON, more than attach.messaging.max-payload-size (1024 bytes)");
		});
	}

	@Test
	void payloadLimitIsOneMebibyteByDefault() {
		this.runner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> publisher(context).publish("t", "x".repeat(1024 * 1024)))
			.withMessageContaining("attach.messaging.max-payload-size (1048576 bytes)"));
	}

	@Test
	void headerNameLongerThanAnAmqpShortStringIsRefused() {
		this.runner.run((context) -> {
			publisher(context).publish(OutgoingMessage.of("t", "x").withHeader("h".repeat(255), "v"));
			assertThatIllegalArgumentException()
				.isThrownBy(() -> publisher(context)
					.publish(OutgoingMessage.of("t", "x").withHeader("\u00e9".repeat(128), "v")))
				.withMessageContaining("has a name of 256 bytes in UTF-8; a header name needs 1 to 255");
			assertThatIllegalArgumentException()
				.isThrownBy(() -> publisher(context).publish(OutgoingMessage.of("t", "x").withKey("k".repeat(256))))
				.withMessageContaining("a key may have at most 255");
		});
	}

	@Test
	void payloadThatCannotBeWrittenAsJsonIsRefused() {
		this.runner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> publisher(context).publish("t", new Unwritable()))
			.withMessageContaining("cannot be written as JSON"));
	}

	@Test
	void invalidTopicIsRefused() {
		this.runner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> publisher(context).publish("user created", "x"))
			.withMessageContaining("Invalid topic name 'user created'"));
	}

	@Test
	void publishJoinsTheCallersTransaction() {
		this.runner.run((context) -> {
			TransactionTemplate transaction = new TransactionTemplate(
					context.getBean(PlatformTransactionManager.class));
			String rolledBack = transaction.execute((status) -> {
				String id = publisher(context).publish("t", "rolled back");
				assertThat(count(context, id)).isOne();
				status.setRollbackOnly();
				return id;
			});
			String committed = transaction.execute((status) -> publisher(context).publish("t", "committed"));
			assertThat(count(context, rolledBack)).isZero();
			assertThat(count(context, committed)).isOne();
		});
	}

	@Test
	void storeFailureIsAMessagingException() {
		this.runner.run((context) -> {
			context.getBean(HikariDataSource.class).close();
			assertThatExceptionOfType(MessagingException.class)
				.isThrownBy(() -> publisher(context).publish("user.created", "x"))
				.withMessageContaining("to topic user.created could not be stored for delivery")
				.withCauseInstanceOf(RuntimeException.class);
		});
	}

	private static Map<String, Object> row(AssertableApplicationContext context, String id) {
		return new JdbcTemplate(context.getBean(javax.sql.DataSource.class)).queryForMap(
				"SELECT payload, content_type, message_key, message_headers FROM attach_outbox WHERE item_id = ?", id);
	}

	private static int count(AssertableApplicationContext context, String id) {
		Integer count = new JdbcTemplate(context.getBean(javax.sql.DataSource.class))
			.queryForObject("SELECT COUNT(*) FROM attach_outbox WHERE item_id = ?", Integer.class, id);
		return (count != null) ? count : -1;
	}

	private static MessagePublisher publisher(AssertableApplicationContext context) {
		return context.getBean(MessagePublisher.class);
	}

	static class Unwritable {

		public String getValue() {
			throw new IllegalStateException("cannot be read");
		}

	}

}
