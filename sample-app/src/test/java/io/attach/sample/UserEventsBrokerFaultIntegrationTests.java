package io.attach.sample;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.LocalServers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app on the machine's PostgreSQL with {@code AMQP_URL} through a fault proxy in front of the machine's
 * RabbitMQ: 500 users are created while the broker refuses connections, is black-holed, or loses its connections
 * between the publishes and their confirms; every request succeeds without waiting for the broker, and once it is back
 * each of the 500 {@code user.created} events is handled exactly once. The same across a restart mid-outage and with
 * two instances relaying one outbox.
 *
 * @author attach
 */
class UserEventsBrokerFaultIntegrationTests {

	private static final int USERS = 500;

	// Requests in flight at once, as concurrent sign-ups.
	private static final int CLIENTS = 8;

	// Shorter than every broker timeout the application is given, so that a request that waited for the broker would
	// fail here instead of succeeding late.
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	private static final String GROUP = "events-log";

	private static final String TOPIC = "user.created";

	private final String schema = "attach_msgfault_" + System.nanoTime();

	// Names of this test's own on the shared broker, deleted afterwards.
	private final String names = "attach-msgfault-" + System.nanoTime();

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	private FaultProxy broker;

	@BeforeEach
	void proxy() {
		LocalServers.POSTGRES.require();
		this.broker = LocalServers.RABBITMQ.proxy();
	}

	@AfterEach
	void cleanUp() throws Exception {
		this.applications.forEach(ConfigurableApplicationContext::close);
		this.broker.close();
		try (Connection connection = database()) {
			connection.createStatement().execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
		}
		RabbitNames.delete(this.names);
	}

	@Test
	@Timeout(240)
	void whenBrokerRefusesConnectionsThenSignUpsSucceedAndEveryEventIsHandledOnceAfterItIsBack() throws Exception {
		ConfigurableApplicationContext application = start();
		Set<Long> created = new HashSet<>(warmUp(application));
		this.broker.refuse();
		created.addAll(createUsers(List.of(application), USERS));
		this.broker.pass();
		assertHandledExactlyOnce(created);
	}

	@Test
	@Timeout(240)
	void whenBrokerIsBlackHoledThenSignUpsSucceedAndEveryEventIsHandledOnceAfterItIsBack() throws Exception {
		ConfigurableApplicationContext application = start();
		Set<Long> created = new HashSet<>(warmUp(application));
		this.broker.blackhole();
		created.addAll(createUsers(List.of(application), USERS));
		this.broker.pass();
		assertHandledExactlyOnce(created);
	}

	@Test
	@Timeout(240)
	void whenConnectionsAreCutBetweenPublishAndConfirmThenDuplicatesAreDroppedAndCounted() throws Exception {
		ConfigurableApplicationContext application = start();
		Set<Long> created = new HashSet<>(warmUp(application));
		ExecutorService cutter = Executors.newSingleThreadExecutor();
		try {
			// While the users are created, over about 10 s: slow the broker's traffic, so that publishes and deliveries are on the
			// wire, then swallow what comes back: a publish that was on its way reaches the broker, its confirm never
			// does. Leaving the black hole resets the connections; the relay publishes the unconfirmed messages again
			// and the broker redelivers the unacknowledged ones.
			Future<?> cuts = cutter.submit(() -> {
				for (int i = 0; i < 3; i++) {
					pause(Duration.ofMillis(700));
					this.broker.latency(Duration.ofMillis(300));
					pause(Duration.ofMillis(1000));
					awaitTrafficFromApplication();
					this.broker.blackhole();
					pause(Duration.ofMillis(1500));
					this.broker.pass();
				}
				return null;
			});
			created.addAll(createUsers(List.of(application), USERS, Duration.ofMillis(150)));
			cuts.get();
		}
		finally {
			cutter.shutdownNow();
		}
		this.broker.pass();
		assertHandledExactlyOnce(created);
		assertThat(duplicatesDropped())
			.as("redeliveries of messages handled before, dropped by the inbox and counted")
			.isPositive();
	}

	@Test
	@Timeout(240)
	void whenApplicationRestartsDuringAnOutageThenNoEventIsLost() throws Exception {
		ConfigurableApplicationContext first = start();
		Set<Long> created = new HashSet<>(warmUp(first));
		this.broker.refuse();
		created.addAll(createUsers(List.of(first), USERS));
		first.close();
		// The second instance starts while the broker is still down, on the same database and queues.
		start();
		this.broker.pass();
		assertHandledExactlyOnce(created);
	}

	@Test
	@Timeout(240)
	void whenTwoInstancesRelayOneOutboxThenEveryEventIsHandledOnce() throws Exception {
		ConfigurableApplicationContext first = start();
		ConfigurableApplicationContext second = start();
		Set<Long> created = new HashSet<>(warmUp(first));
		created.addAll(warmUp(second));
		this.broker.refuse();
		created.addAll(createUsers(List.of(first, second), USERS));
		this.broker.pass();
		assertHandledExactlyOnce(created);
	}

	private ConfigurableApplicationContext start() {
		ConfigurableApplicationContext application = new SpringApplicationBuilder(SampleApplication.class).run(
				"--DATABASE_URL=postgres://postgres@127.0.0.1:" + LocalServers.POSTGRES.port()
						+ "/test?options=-c%20search_path%3D" + this.schema,
				"--spring.flyway.schemas=" + this.schema,
				// A connect that waited for the black hole would outlast the request's timeout.
				"--AMQP_URL=amqp://guest:guest@127.0.0.1:" + this.broker.getPort() + "/%2F?connection_timeout=20000",
				"--attach.messaging.rabbit.exchange=" + this.names,
				"--attach.messaging.rabbit.queue-prefix=" + this.names + ".",
				"--attach.messaging.rabbit.confirm-timeout=3s", "--attach.health.interval=1s",
				// The test signs up more users than the sample's limit allows in a minute; that limit is not under test.
				"--sample.signups.limit=100000", "--spring.cache.type=none", "--server.port=0",
				"--logging.level.root=WARN", "--logging.level.io.attach=WARN", "--spring.main.banner-mode=off");
		this.applications.add(application);
		return application;
	}

	// One user whose event is handled before any fault: the group's queue and its consumer are there.
	private List<Long> warmUp(ConfigurableApplicationContext application) throws Exception {
		List<Long> ids = createUsers(List.of(application), 1);
		eventually(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> handledUserIds().containsAll(ids));
		return ids;
	}

	/**
	 * Creates users through the applications in turn, {@link #CLIENTS} at a time, and asserts that every request
	 * succeeded: each was answered 201 within a timeout no request waiting for the broker could meet.
	 */
	private List<Long> createUsers(List<ConfigurableApplicationContext> applications, int count) throws Exception {
		return createUsers(applications, count, Duration.ZERO);
	}

	/**
	 * Creates users as {@link #createUsers(List, int)} does, each client pausing between its requests, so that the
	 * sign-ups last long enough to see the faults injected meanwhile.
	 */
	private List<Long> createUsers(List<ConfigurableApplicationContext> applications, int count, Duration pause)
			throws Exception {
		List<Http> clients = applications.stream()
			.map((application) -> new Http(((WebServerApplicationContext) application).getWebServer().getPort(),
					REQUEST_TIMEOUT))
			.toList();
		ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
		ExecutorService threads = Executors.newFixedThreadPool(Math.min(CLIENTS, count));
		try {
			List<Future<?>> requests = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				Http http = clients.get(i % clients.size());
				String name = "user-" + i;
				requests.add(threads.submit(() -> {
					pause(pause);
					try {
						HttpResponse<String> response = http.postJson("/api/users",
								"{\"name\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}");
						if (response.statusCode() == 201) {
							ids.add(Long.parseLong(response.body().replaceAll(".*\"id\":(\\d+).*", "$1")));
						}
						else {
							failures.add(name + ": " + response.statusCode() + " " + response.body());
						}
					}
					catch (RuntimeException ex) {
						failures.add(name + ": " + ex);
					}
				}));
			}
			for (Future<?> request : requests) {
				request.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(failures).as("sign-ups that failed or waited longer than " + REQUEST_TIMEOUT).isEmpty();
		assertThat(ids).hasSize(count);
		return List.copyOf(ids);
	}

	/**
	 * Waits until every created user's event was handled and nothing is left to deliver, then asserts that each was
	 * handled once: one row per user in the event log, none for another.
	 */
	private void assertHandledExactlyOnce(Set<Long> created) throws Exception {
		eventually(Duration.ofSeconds(150))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> handledUserIds().containsAll(created));
		// Redeliveries still on their way would come now: wait until nothing is left anywhere, the outbox, the group's
		// queue and its retry queues, and no delivery is unacknowledged.
		eventually(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(this::quiet);
		List<Long> handled = handledUserIds();
		System.out.printf("%d events handled for %d users; %d duplicates dropped; %s%n", handled.size(),
				created.size(), duplicatesDropped(), messagingCounts());
		assertThat(new HashSet<>(handled)).isEqualTo(created);
		assertThat(handled).as("events handled more than once").hasSameSizeAs(created);
	}

	/**
	 * Whether nothing is left to deliver. The broker tells no unacknowledged count over AMQP, so the applications'
	 * consumers are stopped to check: what they held unacknowledged goes back to the queue and shows there. When
	 * something was left, they start again and the caller waits on.
	 */
	private boolean quiet() throws Exception {
		String queue = this.names + "." + GROUP + ":" + TOPIC;
		if (count("SELECT count(*) FROM attach_outbox WHERE parked_at IS NULL") != 0 || !RabbitNames.empty(queue)) {
			return false;
		}
		List<ConfigurableApplicationContext> running = this.applications.stream()
			.filter((application) -> application.isActive() && application.isRunning())
			.toList();
		running.forEach(ConfigurableApplicationContext::stop);
		boolean quiet = RabbitNames.empty(queue);
		if (!quiet) {
			running.forEach(ConfigurableApplicationContext::start);
		}
		return quiet;
	}

	private long duplicatesDropped() {
		double total = 0;
		for (ConfigurableApplicationContext application : this.applications) {
			if (!application.isActive()) {
				continue;
			}
			Counter counter = application.getBean(MeterRegistry.class)
				.find("attach.messaging.duplicates")
				.tags("topic", TOPIC, "group", GROUP)
				.counter();
			total += (counter != null) ? counter.count() : 0;
		}
		return (long) total;
	}

	// What each instance counted, for the test's output.
	private String messagingCounts() {
		StringBuilder counts = new StringBuilder();
		for (ConfigurableApplicationContext application : this.applications) {
			if (application.isActive()) {
				application.getBean(MeterRegistry.class)
					.getMeters()
					.stream()
					.filter((meter) -> meter.getId().getName().startsWith("attach.messaging.")
							&& meter instanceof Counter)
					.forEach((meter) -> counts.append(meter.getId().getName().substring(17))
						.append('=')
						.append((long) ((Counter) meter).count())
						.append(' '));
				counts.append("| ");
			}
		}
		return counts.toString();
	}

	// The broker's connections are cut on purpose here, and Spring AMQP's own threads throw when they are (a confirm
	// that never comes back): only the condition decides, as Awaitility would otherwise fail on any thread's exception.
	private static ConditionFactory eventually(Duration atMost) {
		return await().atMost(atMost).dontCatchUncaughtExceptions();
	}

	private void awaitTrafficFromApplication() {
		long before = this.broker.getBytesFromClients();
		eventually(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(5))
			.until(() -> this.broker.getBytesFromClients() > before);
	}

	// Straight to the real PostgreSQL, not through the application.
	private List<Long> handledUserIds() throws SQLException {
		List<Long> ids = new ArrayList<>();
		try (Connection connection = database();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT user_id FROM handled_events")) {
			while (rows.next()) {
				ids.add(rows.getLong(1));
			}
		}
		return ids;
	}

	private long count(String sql) throws SQLException {
		try (Connection connection = database();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private Connection database() throws SQLException {
		Connection connection = DriverManager
			.getConnection("jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "");
		connection.setSchema(this.schema);
		return connection;
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
