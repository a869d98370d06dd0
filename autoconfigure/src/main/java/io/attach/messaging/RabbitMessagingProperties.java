package io.attach.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.attach.core.InvalidSettingException;
import io.attach.core.Timeouts;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for messaging on RabbitMQ: where messages are published, how queues are named and how
 * much a consumer takes at once.
 *
 * @author attach
 */
@ConfigurationProperties("attach.messaging.rabbit")
public class RabbitMessagingProperties {

	private static final int MAX_BATCH_SIZE = 32;

	private static final Duration MAX_BATCH_WAIT = Duration.ofSeconds(1);

	/**
	 * Durable topic exchange messages are published to, with the topic as routing key.
	 */
	private String exchange = "attach.messages";

	/**
	 * Prefix of the queues declared for each group and topic, such as 'attach.' for 'attach.billing:user.created'.
	 */
	private String queuePrefix = "attach.";

	/**
	 * Deliveries of one message to a group's queue after which the broker parks it, counting those not acknowledged
	 * because a consumer failed or lost its connection; changing it means deleting the queues or using a policy.
	 */
	private int deliveryLimit = 10;

	/**
	 * Messages a consumer holds unacknowledged at once.
	 */
	private int prefetch = 16;

	/**
	 * Consumers per group and topic in this instance.
	 */
	private int concurrency = 1;

	/**
	 * Messages of a group's queue that a consumer handles in one inbox transaction when they arrive together, so that
	 * they cost one commit; at most the prefetch. Only with an inbox whose transaction manager is a JDBC one
	 * (DataSourceTransactionManager): each handler runs after a savepoint, and one that fails is rolled back to it
	 * alone. Handlers of a batch share its transaction (and its timeout and locks) until it commits. 1 handles every
	 * message in a transaction of its own; at most 32.
	 */
	private int batchSize = 16;

	/**
	 * Time a consumer that batches waits for one more message to join a batch: a message that arrives alone is
	 * handled this much later, and an idle consumer polls this often; at most 1s.
	 */
	private Duration batchWait = Duration.ofMillis(5);

	/**
	 * Messages the outbox relay publishes before it awaits the first one's confirm, so that the broker confirms
	 * them together; 1 awaits each confirm before the next message is published.
	 */
	private int publishWindow = 64;

	/**
	 * Time to wait for the broker's confirm of each published message before counting it as not sent.
	 */
	private Duration confirmTimeout = Duration.ofSeconds(10);

	/**
	 * Delays of the retry queues each group gets, each holding every message for the same time: a retry waits in the
	 * shortest one at least as long as its delay, and a longer delay than the longest waits the longest.
	 */
	private List<Duration> retryTiers = new ArrayList<>(RabbitGroupQueues.DEFAULT_TIERS);

	public String getExchange() {
		return this.exchange;
	}

	public void setExchange(String exchange) {
		this.exchange = exchange;
	}

	public String getQueuePrefix() {
		return this.queuePrefix;
	}

	public void setQueuePrefix(String queuePrefix) {
		this.queuePrefix = queuePrefix;
	}

	public int getDeliveryLimit() {
		return this.deliveryLimit;
	}

	public void setDeliveryLimit(int deliveryLimit) {
		this.deliveryLimit = deliveryLimit;
	}

	public int getPrefetch() {
		return this.prefetch;
	}

	public void setPrefetch(int prefetch) {
		this.prefetch = prefetch;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	public void setConcurrency(int concurrency) {
		this.concurrency = concurrency;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
			// A savepoint per message: past 64 subtransactions PostgreSQL slows every session's visibility checks.
			throw new InvalidSettingException("attach.messaging.rabbit.batch-size", "is " + batchSize,
					"Give 1 to handle each message in a transaction of its own, or up to " + MAX_BATCH_SIZE
							+ ", such as 16.");
		}
		this.batchSize = batchSize;
	}

	public Duration getBatchWait() {
		return this.batchWait;
	}

	public void setBatchWait(Duration batchWait) {
		Timeouts.requirePositive("attach.messaging.rabbit.batch-wait", batchWait);
		if (batchWait.compareTo(MAX_BATCH_WAIT) > 0) {
			// It also delays every stop of a consumer that is idle.
			throw new InvalidSettingException("attach.messaging.rabbit.batch-wait", "is " + batchWait,
					"Give at most 1s, such as 5ms, or set batch-size to 1 to handle each message alone.");
		}
		this.batchWait = batchWait;
	}

	public int getPublishWindow() {
		return this.publishWindow;
	}

	public void setPublishWindow(int publishWindow) {
		this.publishWindow = publishWindow;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	public List<Duration> getRetryTiers() {
		return this.retryTiers;
	}

	public void setRetryTiers(List<Duration> retryTiers) {
		if (retryTiers.isEmpty()) {
			throw new InvalidSettingException("attach.messaging.rabbit.retry-tiers", "is empty",
					"Give at least one delay, such as 1s,10s,1m,10m.");
		}
		retryTiers.forEach((tier) -> Timeouts.requirePositive("attach.messaging.rabbit.retry-tiers", tier));
		this.retryTiers = new ArrayList<>(retryTiers);
	}

}
