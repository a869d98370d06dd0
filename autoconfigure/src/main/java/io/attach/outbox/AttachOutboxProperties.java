package io.attach.outbox;

import java.nio.file.Path;
import java.time.Duration;

import io.attach.core.Timeouts;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the durable outbox.
 *
 * @author attach
 */
@ConfigurationProperties("attach.outbox")
public class AttachOutboxProperties {

	// Far above any useful linger, and far below where nanosecond arithmetic on it could overflow.
	private static final Duration MAX_LINGER = Duration.ofMinutes(1);


	/**
	 * Where queued items are kept: a table in the attached database when there is one, else files on local disk.
	 */
	private Store store = Store.AUTO;

	/**
	 * Table that holds queued items in the attached database, shared by every outbox of the application.
	 */
	private String table = "attach_outbox";

	/**
	 * Whether the application creates the outbox table, or adds the columns a later version needs, when it lacks
	 * them. With 'never' it only checks the table and logs the statements to run by hand until they ran.
	 */
	private InitializeSchema initializeSchema = InitializeSchema.ALWAYS;

	/**
	 * Directory that holds queued items when there is no attached database, owned by the application's user and
	 * writable by no other. Defaults to '.attach/outbox/<application name>' under the user's home; point it at a
	 * persistent volume in production.
	 */
	private @Nullable Path directory;

	/**
	 * Most items delivered over one connection.
	 */
	private int batchSize = 100;

	/**
	 * Time between two looks for due items when nothing wakes the relay, such as items enqueued by another
	 * instance.
	 */
	private Duration pollInterval = Duration.ofSeconds(1);

	/**
	 * Longest time the relay waits, while it is busy, before a round for items just enqueued, so that a burst leaves
	 * in rounds of many items rather than one round each; it goes at once when a batch is waiting, and the first item
	 * after a quiet spell never waits. Zero starts a round for every enqueue.
	 */
	private Duration linger = Duration.ofMillis(5);

	/**
	 * Time an instance holds the items it is delivering before another instance may take them over.
	 */
	private Duration lease = Duration.ofMinutes(2);

	/**
	 * Application whose items this instance queues and delivers from the table: instances of one application share
	 * its queue, other applications on the same database never take its items. Defaults to
	 * 'spring.application.name', else 'application'.
	 */
	private @Nullable String application;

	/**
	 * Whether this application takes over the items in the table that belong to no application, queued by a version
	 * from before items were kept by application (also while instances of it still run, during a rolling upgrade),
	 * for the channels it delivers. Only when no other application shares the table: they may be its items.
	 */
	private boolean adoptUnassigned;

	/**
	 * Time a stopping instance waits for the delivery in flight before it gives back the items it holds. Keep it
	 * below 'spring.lifecycle.timeout-per-shutdown-phase'.
	 */
	private Duration shutdownGrace = Duration.ofSeconds(10);

	/**
	 * Backoff between delivery attempts after failures.
	 */
	private final Retry retry = new Retry();

	public Store getStore() {
		return this.store;
	}

	public void setStore(Store store) {
		this.store = store;
	}

	public String getTable() {
		return this.table;
	}

	public void setTable(String table) {
		this.table = table;
	}

	public InitializeSchema getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(InitializeSchema initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public @Nullable Path getDirectory() {
		return this.directory;
	}

	public void setDirectory(@Nullable Path directory) {
		this.directory = directory;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		if (batchSize < 1) {
			throw new IllegalArgumentException("attach.outbox.batch-size must be at least 1");
		}
		this.batchSize = batchSize;
	}

	public Duration getPollInterval() {
		return this.pollInterval;
	}

	public void setPollInterval(Duration pollInterval) {
		this.pollInterval = Timeouts.requirePositive("attach.outbox.poll-interval", pollInterval);
	}

	public Duration getLinger() {
		return this.linger;
	}

	public void setLinger(Duration linger) {
		if (linger.isNegative() || linger.compareTo(MAX_LINGER) > 0) {
			throw new IllegalArgumentException("attach.outbox.linger must be from 0 to " + MAX_LINGER.toSeconds()
					+ "s, such as 5ms: it delays items while the relay is busy");
		}
		this.linger = linger;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = Timeouts.requirePositive("attach.outbox.lease", lease);
	}

	public @Nullable String getApplication() {
		return this.application;
	}

	public void setApplication(@Nullable String application) {
		this.application = application;
	}

	public boolean isAdoptUnassigned() {
		return this.adoptUnassigned;
	}

	public void setAdoptUnassigned(boolean adoptUnassigned) {
		this.adoptUnassigned = adoptUnassigned;
	}

	public Duration getShutdownGrace() {
		return this.shutdownGrace;
	}

	public void setShutdownGrace(Duration shutdownGrace) {
		this.shutdownGrace = Timeouts.requirePositive("attach.outbox.shutdown-grace", shutdownGrace);
	}

	public Retry getRetry() {
		return this.retry;
	}

	/**
	 * Where the outbox keeps its items.
	 */
	public enum Store {

		/**
		 * The attached database when there is one, else local files.
		 */
		AUTO,

		/**
		 * A table in the attached database.
		 */
		JDBC,

		/**
		 * Files in a local directory.
		 */
		FILE

	}

	/**
	 * Whether the outbox table is created or upgraded at runtime.
	 */
	public enum InitializeSchema {

		/**
		 * Create the table, or add the columns it lacks, when the database user may.
		 */
		ALWAYS,

		/**
		 * Never change the schema: check the table, and log the statements to run until it is up to date.
		 */
		NEVER

	}

	/**
	 * Backoff settings.
	 */
	public static class Retry {

		/**
		 * Wait after the first failure, before jitter.
		 */
		private Duration initialInterval = Duration.ofSeconds(1);

		/**
		 * Factor by which the wait grows after each further failure.
		 */
		private double multiplier = 2;

		/**
		 * Longest wait between two attempts, before jitter.
		 */
		private Duration maxInterval = Duration.ofSeconds(30);

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = Timeouts.requirePositive("attach.outbox.retry.initial-interval", initialInterval);
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
			this.maxInterval = Timeouts.requirePositive("attach.outbox.retry.max-interval", maxInterval);
		}

		Backoff toBackoff() {
			return new Backoff(this.initialInterval, Math.max(1, this.multiplier), this.maxInterval);
		}

	}

}
