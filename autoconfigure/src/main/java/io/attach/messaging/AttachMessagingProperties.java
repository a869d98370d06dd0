package io.attach.messaging;

import java.time.Duration;
import java.util.regex.Pattern;

import io.attach.core.InvalidSettingException;
import io.attach.core.Timeouts;
import io.attach.outbox.Backoff;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for messaging, whichever backend delivers the messages.
 *
 * @author attach
 */
@ConfigurationProperties("attach.messaging")
public class AttachMessagingProperties {

	/**
	 * Most deliveries of a message to a group before it is parked, counting the first.
	 */
	private int maxAttempts = 5;

	/**
	 * Largest payload a message may have, as JSON: a larger one is refused by publish(). Keep it well under the
	 * broker's own limit (RabbitMQ's max_message_size, 128 MiB by default), which would refuse the message only once
	 * the relay sends it.
	 */
	private DataSize maxPayloadSize = DataSize.ofMegabytes(1);

	/**
	 * Backoff between the deliveries of a message whose handler failed.
	 */
	private final Retry retry = new Retry();

	/**
	 * Table of the messages each group handled, which drops a redelivered one.
	 */
	private final Inbox inbox = new Inbox();

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		if (maxAttempts < 1) {
			throw new InvalidSettingException("attach.messaging.max-attempts", "is " + maxAttempts
					+ ", but a message needs at least one delivery", "Set it to 1 or more, such as 5.");
		}
		this.maxAttempts = maxAttempts;
	}

	public DataSize getMaxPayloadSize() {
		return this.maxPayloadSize;
	}

	public void setMaxPayloadSize(DataSize maxPayloadSize) {
		if (maxPayloadSize.toBytes() < 1) {
			throw new InvalidSettingException("attach.messaging.max-payload-size", "is " + maxPayloadSize
					+ ", but a message needs room for its payload", "Set it to 1KB or more, such as 1MB.");
		}
		this.maxPayloadSize = maxPayloadSize;
	}

	public Retry getRetry() {
		return this.retry;
	}

	public Inbox getInbox() {
		return this.inbox;
	}

	/**
	 * Backoff between deliveries of a message whose handler failed.
	 */
	public static class Retry {

		/**
		 * Wait after the first failed delivery, before jitter.
		 */
		private Duration initialInterval = Duration.ofSeconds(1);

		/**
		 * Factor by which the wait grows after each further failed delivery.
		 */
		private double multiplier = 2;

		/**
		 * Longest wait between two deliveries, before jitter.
		 */
		private Duration maxInterval = Duration.ofMinutes(1);

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = Timeouts.requirePositive("attach.messaging.retry.initial-interval",
					initialInterval);
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = Timeouts.requirePositive("attach.messaging.retry.max-interval", maxInterval);
		}

		Backoff toBackoff() {
			return new Backoff(this.initialInterval, Math.max(1, this.multiplier), this.maxInterval);
		}

	}

	/**
	 * The inbox: the messages each group handled, recorded in the handler's transaction.
	 */
	public static class Inbox {

		private static final Pattern TABLE_NAME = Pattern
			.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

		/**
		 * Whether a handler runs in a transaction of the attached database that also records the message's id, so
		 * that a redelivered message is dropped. Without a database, handlers run without it.
		 */
		private boolean enabled = true;

		/**
		 * Table that records the handled messages, in the attached database.
		 */
		private String table = "attach_inbox";

		/**
		 * Whether the application creates the inbox table when it lacks it. With 'never' it only checks the table.
		 */
		private InitializeSchema initializeSchema = InitializeSchema.ALWAYS;

		/**
		 * How long a handled message's id is kept: a redelivery later than that is handled again. Keep it longer
		 * than a message can wait in the outbox, the broker and the parked queue.
		 */
		private Duration retention = Duration.ofDays(7);

		/**
		 * Time between two deletions of the ids older than the retention.
		 */
		private Duration purgeInterval = Duration.ofHours(1);

		/**
		 * Bean name of the transaction manager handlers run in, which must run transactions of the inbox's database.
		 * When not set, the one of the application's managers that does; without any, one of the inbox's own.
		 */
		private @Nullable String transactionManager;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getTable() {
			return this.table;
		}

		public void setTable(String table) {
			if (!TABLE_NAME.matcher(table).matches()) {
				throw new InvalidSettingException("attach.messaging.inbox.table", "is '" + table
						+ "', which is not a table name",
						"Use letters, digits and '_', optionally after a schema and a '.', such as attach_inbox.");
			}
			this.table = table;
		}

		public InitializeSchema getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(InitializeSchema initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = Timeouts.requirePositive("attach.messaging.inbox.retention", retention);
		}

		public @Nullable String getTransactionManager() {
			return this.transactionManager;
		}

		public void setTransactionManager(@Nullable String transactionManager) {
			this.transactionManager = transactionManager;
		}

		public Duration getPurgeInterval() {
			return this.purgeInterval;
		}

		public void setPurgeInterval(Duration purgeInterval) {
			this.purgeInterval = Timeouts.requirePositive("attach.messaging.inbox.purge-interval", purgeInterval);
		}

	}

	/**
	 * Whether the application creates the inbox table.
	 */
	public enum InitializeSchema {

		/**
		 * Create the table when it is missing.
		 */
		ALWAYS,

		/**
		 * Only check that the table is there.
		 */
		NEVER

	}

}
