package io.attach.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import com.rabbitmq.client.Channel;
import io.attach.messaging.MessagePublisher;
import io.attach.messaging.Subscriptions;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Measures, in one run against the machine's RabbitMQ and PostgreSQL, each through a loopback fault proxy: messages
 * per second from {@code publish()} to the handler through attach (outbox in PostgreSQL, publisher confirms, inbox
 * dedupe) against a plain {@code RabbitTemplate} with correlated confirms into a {@code @RabbitListener}, in
 * alternating rounds; the time {@code publish()} takes on the caller's thread with the broker up and black-holed; and
 * the end-to-end latency of one message at a time when idle. Arguments: messages per round (5000), rounds (3).
 * <p>
 * Both sides do what their guarantees need, the same way: a durable quorum queue on a topic exchange, persistent
 * messages, the payload as JSON through Jackson, every publisher confirm awaited before a round ends (attach's relay
 * awaits them before it removes a message from the outbox; the plain sender after its last send), and a round ends
 * when the handler saw every message. What differs is the work attach does on top: {@code publish()} inserts the
 * message into the outbox table in PostgreSQL (its own transaction here, as the benchmark has none), the relay
 * leases, publishes (mandatory, with returns) and deletes it, and the consumer records each message in the inbox
 * table in the handler's transaction, acknowledging it manually once that committed; the plain listener
 * acknowledges automatically after the handler returned. Each side uses its defaults: attach's consumers
 * ({@code attach.messaging.rabbit.concurrency}, {@code prefetch}) and Boot's listener container (one consumer,
 * prefetch 250).
 *
 * @author attach
 */
public final class MessagingThroughput {

	private static final String GROUP = "bench";

	// Callers publishing at once in the second row, as request threads of a web application do.
	private static final int THREADS = 8;

	// The steady rate of the paced row, and how many messages it publishes at it (10 s).
	private static final int PACED_RATE = 200;

	private static final int PACED_MESSAGES = 2000;

	// The benchmark's own counts of the outbox, left out of the relay's scans.
	private static final AtomicLong EMPTY_CHECKS = new AtomicLong();

	private MessagingThroughput() {
	}

	public static void main(String[] args) throws Exception {
		int messages = (args.length > 0) ? Integer.parseInt(args[0]) : 5000;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 3;
		// Any further arguments are attach's properties, such as --attach.messaging.rabbit.concurrency=1.
		String[] attachProperties = Arrays.copyOfRange(args, Math.min(2, args.length), args.length);
		String names = "attach-bench-" + System.nanoTime();
		String schema = "attach_msgbench_" + System.nanoTime();
		String topic = "bench.event";
		int postgres = LocalServers.POSTGRES.require().port();
		LocalServers.RABBITMQ.require();
		List<String> report = new ArrayList<>();
		try (FaultProxy attachBroker = LocalServers.RABBITMQ.proxy();
				FaultProxy plainBroker = LocalServers.RABBITMQ.proxy();
				Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres + "/test",
						"postgres", "")) {
			admin.createStatement().execute("CREATE SCHEMA " + schema);
			try (ConfigurableApplicationContext attach = startAttach(attachBroker, postgres, schema, names,
					attachProperties);
					ConfigurableApplicationContext plain = startPlain(plainBroker, names)) {
				Receiver attachReceiver = new Receiver();
				attach.getBean(Subscriptions.class)
					.subscribe(topic, GROUP, Event.class, (message) -> attachReceiver.received(message.payload()));
				MessagePublisher publisher = attach.getBean(MessagePublisher.class);
				Sender attachSender = (event) -> publisher.publish(topic, event);
				// A message leaves the outbox only once the broker confirmed it: an empty outbox means every confirm
				// is in, as the plain sender's awaitConfirms() does.
				Runnable attachConfirmed = () -> awaitEmpty(admin, schema);
				Receiver plainReceiver = plain.getBean(PlainApplication.class).receiver;
				RabbitTemplate template = plain.getBean(RabbitTemplate.class);
				PlainSender plainSender = new PlainSender(template, names + ".plain");

				// Warm up both paths, JIT and connections, before any measurement.
				throughput(attachSender, attachReceiver, messages / 2, null, attachConfirmed);
				throughput(plainSender, plainReceiver, messages / 2, null, plainSender::awaitConfirms);

				double attachTotal = 0;
				double plainTotal = 0;
				long scans = outboxScans(admin, schema);
				Latencies publishUp = new Latencies(messages * rounds);
				FloorProbe alongside = new FloorProbe(postgres, schema);
				for (int round = 1; round <= rounds; round++) {
					// Alternating, so that the machine's drift is shared between the two.
					alongside.start();
					Round a = throughput(attachSender, attachReceiver, messages, publishUp::add, attachConfirmed);
					alongside.stop();
					Round p = throughput(plainSender, plainReceiver, messages, null, plainSender::awaitConfirms);
					attachTotal += a.seconds();
					plainTotal += p.seconds();
					report.add(String.format("round %d  attach %7.0f msg/s   plain %7.0f msg/s   ratio %.2f   attach %s;"
							+ " plain %s", round, a.rate(), p.rate(), a.rate() / p.rate(), a.stages(), p.stages()));
				}
				double attachRate = messages * rounds / attachTotal;
				double plainRate = messages * rounds / plainTotal;
				report.add(String.format("overall  attach %7.0f msg/s   plain %7.0f msg/s   ratio %.2f (goal >= 0.5)",
						attachRate, plainRate, attachRate / plainRate));
				report.add("publish() on the caller's thread, broker up, back to back:  " + publishUp);
				report.add("bare INSERT + commit meanwhile, every 10 ms, own connection: " + alongside.latencies());
				report.add(outboxScansPerMessage(admin, schema, scans, messages * rounds));

				// Several callers at once, as request threads in a web application publish: attach's commits can
				// share a WAL flush, the plain sender's channels come from its cache.
				attachTotal = 0;
				plainTotal = 0;
				scans = outboxScans(admin, schema);
				Latencies publishThreads = new Latencies(messages * rounds);
				LongConsumer publishThreadsAdd = (nanos) -> {
					synchronized (publishThreads) {
						publishThreads.add(nanos);
					}
				};
				for (int round = 1; round <= rounds; round++) {
					Round a = throughput(attachSender, attachReceiver, messages, THREADS, publishThreadsAdd,
							attachConfirmed);
					Round p = throughput(plainSender, plainReceiver, messages, THREADS, null,
							plainSender::awaitConfirms);
					attachTotal += a.seconds();
					plainTotal += p.seconds();
					report.add(String.format("%d threads, round %d  attach %7.0f msg/s   plain %7.0f msg/s   ratio %.2f"
							+ "   attach %s; plain %s", THREADS, round, a.rate(), p.rate(), a.rate() / p.rate(),
							a.stages(), p.stages()));
				}
				attachRate = messages * rounds / attachTotal;
				plainRate = messages * rounds / plainTotal;
				report.add(String.format("%d threads, overall  attach %7.0f msg/s   plain %7.0f msg/s   ratio %.2f",
						THREADS, attachRate, plainRate, attachRate / plainRate));
				report.add(String.format("publish() with %d callers, broker up:                    ", THREADS)
						+ publishThreads);
				report.add(outboxScansPerMessage(admin, schema, scans, messages * rounds));
				report.add("floor: one INSERT and its commit on a bare JDBC connection:     "
						+ insertFloor(admin, schema, 2000));

				// At a steady rate a busy web application might publish at, rather than back to back: the time a
				// request thread spends in publish() while the relay and consumer keep up, beside the bare commit.
				Latencies publishPaced = new Latencies(PACED_MESSAGES);
				FloorProbe pacedAlongside = new FloorProbe(postgres, schema);
				pacedAlongside.start();
				paced(attachSender, attachReceiver, PACED_MESSAGES, PACED_RATE, publishPaced);
				pacedAlongside.stop();
				report.add(String.format("publish() at %d/s, broker up:                          ", PACED_RATE)
						+ publishPaced);
				report.add("bare INSERT + commit meanwhile, every 10 ms, own connection: " + pacedAlongside.latencies());

				// One message at a time, the next once the last was handled.
				report.add("end to end, idle, attach:  " + endToEnd(attachSender, attachReceiver, 500));
				report.add("end to end, idle, plain:   " + endToEnd(plainSender, plainReceiver, 500));

				// Black-holed: publish() must not notice; the handler gets every message once the broker is back.
				attachBroker.blackhole();
				Thread.sleep(2000);
				Latencies publishDown = new Latencies(messages);
				CountDownLatch all = attachReceiver.expect(messages);
				for (int i = 0; i < messages; i++) {
					long start = System.nanoTime();
					attachSender.send(new Event(start));
					publishDown.add(System.nanoTime() - start);
				}
				report.add("publish() on the caller's thread, broker black-holed:     " + publishDown);
				Thread.sleep(5000);
				long back = System.nanoTime();
				attachBroker.pass();
				if (!all.await(300, TimeUnit.SECONDS)) {
					throw new IllegalStateException("Not every message published while black-holed was handled");
				}
				report.add(String.format("%d messages published while black-holed, all handled %.1f s after the broker"
						+ " came back", messages, (System.nanoTime() - back) / 1e9));
			}
			finally {
				admin.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
				deleteRabbitNames(names, topic);
			}
		}
		System.out.println();
		report.forEach(System.out::println);
		System.exit(0);
	}

	private static ConfigurableApplicationContext startAttach(FaultProxy broker, int postgres, String schema,
			String names, String[] properties) {
		List<String> args = new ArrayList<>(List.of(
				"--DATABASE_URL=postgres://postgres@127.0.0.1:" + postgres + "/test?options=-c%20search_path%3D"
						+ schema,
				"--AMQP_URL=amqp://guest:guest@127.0.0.1:" + broker.getPort() + "/%2F",
				"--attach.messaging.rabbit.exchange=" + names, "--attach.messaging.rabbit.queue-prefix=" + names + ".",
				"--spring.flyway.enabled=false", "--logging.level.root=WARN", "--spring.main.banner-mode=off"));
		args.addAll(List.of(properties));
		return new SpringApplicationBuilder(AttachApplication.class).web(WebApplicationType.NONE)
			.run(args.toArray(String[]::new));
	}

	private static ConfigurableApplicationContext startPlain(FaultProxy broker, String names) {
		return new SpringApplicationBuilder(PlainApplication.class).web(WebApplicationType.NONE)
			.run("--spring.rabbitmq.host=127.0.0.1", "--spring.rabbitmq.port=" + broker.getPort(),
					"--spring.rabbitmq.username=guest", "--spring.rabbitmq.password=guest",
					"--spring.rabbitmq.publisher-confirm-type=correlated", "--bench.names=" + names,
					"--logging.level.root=WARN", "--spring.main.banner-mode=off");
	}

	/**
	 * Sends {@code count} events back to back on the caller's thread and waits until the handler got them all and
	 * every confirm is in.
	 */
	private static Round throughput(Sender sender, Receiver receiver, int count, @Nullable LongConsumer sendTimes,
			@Nullable Runnable confirmed) throws Exception {
		return throughput(sender, receiver, count, 1, sendTimes, confirmed);
	}

	/**
	 * Sends {@code count} events back to back from {@code threads} callers at once, each its share, and waits until
	 * the handler got them all and every confirm is in.
	 */
	private static Round throughput(Sender sender, Receiver receiver, int count, int threads,
			@Nullable LongConsumer sendTimes, @Nullable Runnable confirmed) throws Exception {
		CountDownLatch all = receiver.expect(count);
		long start = System.nanoTime();
		if (threads == 1) {
			send(sender, count, sendTimes);
		}
		else {
			List<Thread> callers = new ArrayList<>();
			AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
			for (int t = 0; t < threads; t++) {
				int share = count / threads + ((t < count % threads) ? 1 : 0);
				Thread caller = new Thread(() -> {
					try {
						send(sender, share, sendTimes);
					}
					catch (Throwable ex) {
						failure.compareAndSet(null, ex);
					}
				}, "bench-caller-" + t);
				callers.add(caller);
				caller.start();
			}
			for (Thread caller : callers) {
				caller.join();
			}
			if (failure.get() != null) {
				throw new IllegalStateException("A caller failed", failure.get());
			}
		}
		long published = System.nanoTime();
		if (!all.await(300, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Only " + (count - all.getCount()) + " of " + count + " handled");
		}
		long handled = System.nanoTime();
		if (confirmed != null) {
			confirmed.run();
		}
		long end = System.nanoTime();
		return new Round(count, (end - start) / 1e9, (published - start) / 1e9, (handled - start) / 1e9);
	}

	private static void send(Sender sender, int count, @Nullable LongConsumer sendTimes) {
		for (int i = 0; i < count; i++) {
			long sent = System.nanoTime();
			sender.send(new Event(sent));
			if (sendTimes != null) {
				sendTimes.accept(System.nanoTime() - sent);
			}
		}
	}

	/**
	 * Sends {@code count} events at {@code perSecond}, each at its due time (none made up for when one was late), and
	 * waits until the handler got them all.
	 */
	private static void paced(Sender sender, Receiver receiver, int count, int perSecond, Latencies sendTimes)
			throws InterruptedException {
		CountDownLatch all = receiver.expect(count);
		long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
		long due = System.nanoTime();
		for (int i = 0; i < count; i++) {
			due += period;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				java.util.concurrent.locks.LockSupport.parkNanos(wait);
			}
			long sent = System.nanoTime();
			sender.send(new Event(sent));
			sendTimes.add(System.nanoTime() - sent);
		}
		if (!all.await(300, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Only " + (count - all.getCount()) + " of " + count + " handled");
		}
	}

	/**
	 * Times what {@code publish()} cannot avoid outside a caller's transaction: one row inserted and committed, here
	 * on a bare connection with no pool, JSON or outbox in between.
	 */
	private static Latencies insertFloor(Connection admin, String schema, int count) throws java.sql.SQLException {
		Latencies latencies = new Latencies(count);
		try (java.sql.Statement statement = admin.createStatement()) {
			statement.execute("CREATE TABLE " + schema + ".floor (id VARCHAR(64) PRIMARY KEY, payload BYTEA)");
		}
		try (java.sql.PreparedStatement insert = admin
			.prepareStatement("INSERT INTO " + schema + ".floor (id, payload) VALUES (?, ?)")) {
			for (int i = 0; i < count; i++) {
				long start = System.nanoTime();
				insert.setString(1, java.util.UUID.randomUUID().toString());
				insert.setBytes(2, ("{\"sentAt\":" + start + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
				insert.executeUpdate();
				latencies.add(System.nanoTime() - start);
			}
		}
		return latencies;
	}

	/**
	 * Counts the scans of the outbox table so far, as PostgreSQL's statistics have them (flushed by each session
	 * about once a second): each statement of a relay round reads it once, as does each of the benchmark's own
	 * counts, which are taken out.
	 */
	private static long outboxScans(Connection admin, String schema) throws java.sql.SQLException {
		try (java.sql.PreparedStatement query = admin.prepareStatement("SELECT seq_scan + COALESCE(idx_scan, 0)"
				+ " FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'attach_outbox'")) {
			query.setString(1, schema);
			try (java.sql.ResultSet rows = query.executeQuery()) {
				return (rows.next() ? rows.getLong(1) : 0) - EMPTY_CHECKS.get();
			}
		}
	}

	private static String outboxScansPerMessage(Connection admin, String schema, long before, int messages)
			throws java.sql.SQLException, InterruptedException {
		// Let every session flush its statistics first.
		Thread.sleep(1500);
		return String.format("outbox table scans per message (relay rounds' statements and counts):  %.2f",
				(outboxScans(admin, schema) - before) / (double) messages);
	}

	private static void awaitEmpty(Connection admin, String schema) {
		try (java.sql.Statement statement = admin.createStatement()) {
			while (true) {
				try (java.sql.ResultSet rows = statement
					.executeQuery("SELECT COUNT(*) FROM " + schema + ".attach_outbox")) {
					EMPTY_CHECKS.incrementAndGet();
					rows.next();
					if (rows.getLong(1) == 0) {
						return;
					}
				}
				Thread.sleep(1);
			}
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException("Could not count the outbox", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static Latencies endToEnd(Sender sender, Receiver receiver, int count) throws Exception {
		Latencies latencies = new Latencies(count);
		for (int i = 0; i < count; i++) {
			CountDownLatch one = receiver.expect(1);
			sender.send(new Event(System.nanoTime()));
			if (!one.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("A message was not handled within 30 s");
			}
			latencies.add(receiver.lastLatency());
			Thread.sleep(5);
		}
		return latencies;
	}

	private static void deleteRabbitNames(String names, String topic) throws Exception {
		com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(LocalServers.RABBITMQ.port());
		factory.setUsername("guest");
		factory.setPassword("guest");
		try (com.rabbitmq.client.Connection connection = factory.newConnection("attach-bench-cleanup")) {
			String queue = names + "." + GROUP + ":" + topic;
			// The group's queue, its parked queue and a retry queue per default tier of attach's.
			for (String name : List.of(queue, queue + ":retry-1s", queue + ":retry-10s", queue + ":retry-1m",
					queue + ":retry-10m", queue + ":parked", names + ".plain")) {
				try (Channel channel = connection.createChannel()) {
					channel.queueDelete(name);
				}
			}
			for (String name : List.of(names, names + ".plain")) {
				try (Channel channel = connection.createChannel()) {
					channel.exchangeDelete(name);
				}
			}
		}
	}

	/**
	 * The payload: when it was sent, by {@link System#nanoTime()} in this JVM.
	 *
	 * @param sentAt when it was sent
	 */
	public record Event(long sentAt) {
	}

	/**
	 * A round: how many messages, and when, from its start, it ended, the last send returned and the handler got the
	 * last message.
	 */
	private record Round(int count, double seconds, double sent, double handled) {

		String stages() {
			return String.format("sent %.2f s, handled %.2f s, confirmed %.2f s", this.sent, this.handled, this.seconds);
		}

		double rate() {
			return this.count / this.seconds;
		}

	}

	@FunctionalInterface
	private interface Sender {

		void send(Event event);

	}

	/**
	 * Counts the events a handler got, for whoever waits for a number of them, and the latency of the last.
	 */
	static final class Receiver {

		private final AtomicReference<CountDownLatch> latch = new AtomicReference<>(new CountDownLatch(0));

		private volatile long lastLatency;

		CountDownLatch expect(int count) {
			CountDownLatch next = new CountDownLatch(count);
			this.latch.set(next);
			return next;
		}

		void received(Event event) {
			this.lastLatency = System.nanoTime() - event.sentAt();
			this.latch.get().countDown();
		}

		long lastLatency() {
			return this.lastLatency;
		}

	}

	/**
	 * Times a bare {@code INSERT} and its commit every 10 ms on a connection of its own while attach's rounds run, so
	 * that {@code publish()} can be compared with what the database gives any commit under the same load.
	 */
	private static final class FloorProbe {

		private final int postgres;

		private final String schema;

		private final Latencies latencies = new Latencies(100_000);

		private volatile boolean running;

		private @Nullable Thread thread;

		FloorProbe(int postgres, String schema) {
			this.postgres = postgres;
			this.schema = schema;
		}

		void start() throws java.sql.SQLException {
			Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + this.postgres
					+ "/test", "postgres", "");
			connection.createStatement()
				.execute("CREATE TABLE IF NOT EXISTS " + this.schema + ".alongside (id VARCHAR(64) PRIMARY KEY,"
						+ " payload BYTEA)");
			this.running = true;
			Thread probe = new Thread(() -> probe(connection), "floor-probe");
			probe.setDaemon(true);
			probe.start();
			this.thread = probe;
		}

		private void probe(Connection connection) {
			try (connection; java.sql.PreparedStatement insert = connection
				.prepareStatement("INSERT INTO " + this.schema + ".alongside (id, payload) VALUES (?, ?)")) {
				while (this.running) {
					long start = System.nanoTime();
					insert.setString(1, java.util.UUID.randomUUID().toString());
					insert.setBytes(2, ("{\"sentAt\":" + start + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
					insert.executeUpdate();
					synchronized (this.latencies) {
						this.latencies.add(System.nanoTime() - start);
					}
					Thread.sleep(10);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException("The floor probe failed", ex);
			}
		}

		void stop() throws InterruptedException {
			this.running = false;
			Thread probe = this.thread;
			if (probe != null) {
				probe.join();
			}
		}

		Latencies latencies() {
			synchronized (this.latencies) {
				return this.latencies;
			}
		}

	}

	/**
	 * Publishes with a correlated confirm per message, as a plain Spring AMQP application that must not lose a message
	 * does; the confirms are awaited after each round, not on the caller's thread.
	 */
	private static final class PlainSender implements Sender {

		private final RabbitTemplate template;

		private final String exchange;

		private final ConcurrentLinkedQueue<CompletableFuture<CorrelationData.Confirm>> confirms = new ConcurrentLinkedQueue<>();

		PlainSender(RabbitTemplate template, String exchange) {
			this.template = template;
			this.exchange = exchange;
		}

		@Override
		public void send(Event event) {
			CorrelationData correlation = new CorrelationData();
			this.template.convertAndSend(this.exchange, "bench.event", event, correlation);
			this.confirms.add(correlation.getFuture());
		}

		void awaitConfirms() {
			CompletableFuture<CorrelationData.Confirm> confirm;
			while ((confirm = this.confirms.poll()) != null) {
				if (!confirm.join().ack()) {
					throw new IllegalStateException("The broker did not confirm a message");
				}
			}
		}

	}

	/**
	 * The smallest application attach configures messaging for.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class AttachApplication {

	}

	/**
	 * A plain Spring AMQP application: Boot's {@code RabbitTemplate} and {@code @RabbitListener}, JSON through
	 * Jackson, a durable queue bound to a topic exchange.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RabbitAutoConfiguration.class)
	static class PlainApplication {

		final Receiver receiver = new Receiver();

		@Bean
		JacksonJsonMessageConverter jsonMessageConverter() {
			return new JacksonJsonMessageConverter();
		}

		@Bean
		TopicExchange plainExchange(Environment environment) {
			return new TopicExchange(environment.getRequiredProperty("bench.names") + ".plain");
		}

		@Bean
		Queue plainQueue(Environment environment) {
			// A quorum queue, as attach's group queues are: a broker that must not lose a message replicates and
			// writes it to disk before confirming and delivering it.
			return QueueBuilder.durable(environment.getRequiredProperty("bench.names") + ".plain").quorum().build();
		}

		@Bean
		Binding plainBinding(TopicExchange plainExchange, Queue plainQueue) {
			return BindingBuilder.bind(plainQueue).to(plainExchange).with("bench.event");
		}

		@RabbitListener(queues = "${bench.names}.plain")
		void onEvent(Event event) {
			this.receiver.received(event);
		}

	}

}
