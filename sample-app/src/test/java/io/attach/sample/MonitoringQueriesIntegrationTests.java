package io.attach.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.attach.messaging.MessageHandler;
import io.attach.messaging.MessagePublisher;
import io.attach.messaging.ParkMessageException;
import io.attach.messaging.RetryLaterException;
import io.attach.messaging.Subscriptions;
import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.LocalServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard and the Prometheus alerts in {@code monitoring/} query only what the sample app exports: the
 * app runs on the machine's PostgreSQL, Redis, RabbitMQ (through a fault proxy) and an in-process SMTP server, is
 * driven until every meter exists, down to those only a fault creates (a parked, retried, returned, unconfirmed or
 * redelivered message), and each metric name, label and label value the queries select on must be in its
 * {@code /actuator/prometheus}.
 *
 * @author attach
 */
class MonitoringQueriesIntegrationTests {

	private static final Path DASHBOARD = Path.of("monitoring", "grafana-dashboard.json");

	private static final Path ALERTS = Path.of("monitoring", "prometheus-alerts.yml");

	// Labels Prometheus adds to every series it scrapes: never in the application's own output.
	private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

	private final String schema = "attach_monitoring_" + System.nanoTime();

	// Names of this test's own on the shared Redis and broker, deleted afterwards.
	private final String names = "attach-monitoring-" + System.nanoTime();

	private final List<String> queues = new ArrayList<>();

	private FaultProxy broker;

	private GreenMail mail;

	private ConfigurableApplicationContext application;

	@AfterEach
	void cleanUp() throws Exception {
		if (this.application != null) {
			this.application.close();
		}
		if (this.broker != null) {
			this.broker.close();
		}
		if (this.mail != null) {
			this.mail.stop();
		}
		try (Connection connection = DriverManager.getConnection(
				"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
		}
		RedisClient redis = RedisClient.create("redis://127.0.0.1:" + LocalServers.REDIS.port());
		try (StatefulRedisConnection<String, String> connection = redis.connect()) {
			connection.sync().keys(this.names + "*").forEach(connection.sync()::del);
		}
		finally {
			redis.shutdown();
		}
		deleteOnBroker();
	}

	@Test
	@Timeout(180)
	void everyMetricAndLabelTheDashboardAndAlertsQueryIsExportedByTheSampleApp() throws Exception {
		Set<Selector> selectors = new LinkedHashSet<>();
		selectors.addAll(dashboardSelectors());
		selectors.addAll(alertSelectors());
		// Guards the parsing itself: a query the tokenizer lost would never be checked.
		assertThat(selectors).extracting(Selector::metric)
			.contains("attach_resource_up", "resilience4j_circuitbreaker_state", "attach_outbox_oldest_age_seconds",
					"attach_cache_gets_total", "attach_messaging_parked_total");
		start();
		exercise();
		Http http = http();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			Scrape scrape = Scrape.of(http.get("/actuator/prometheus").body());
			assertThat(selectors).as("selectors of the dashboard and alerts the sample app exports nothing for")
				.filteredOn((selector) -> !scrape.matches(selector))
				.isEmpty();
		});
	}

	private void start() {
		LocalServers.POSTGRES.require();
		LocalServers.REDIS.require();
		this.broker = LocalServers.RABBITMQ.proxy();
		this.mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		this.mail.start();
		this.application = new SpringApplicationBuilder(SampleApplication.class).run(
				"--DATABASE_URL=postgres://postgres@127.0.0.1:" + LocalServers.POSTGRES.port()
						+ "/test?options=-c%20search_path%3D" + this.schema,
				"--spring.flyway.schemas=" + this.schema,
				"--REDIS_URL=redis://127.0.0.1:" + LocalServers.REDIS.port() + "/0",
				"--attach.cache.key-prefix=" + this.names + ":",
				"--SMTP_URL=smtp://127.0.0.1:" + this.mail.getSmtp().getPort(),
				"--AMQP_URL=amqp://guest:guest@127.0.0.1:" + this.broker.getPort() + "/%2F",
				"--attach.messaging.rabbit.exchange=" + this.names,
				"--attach.messaging.rabbit.queue-prefix=" + this.names + ".",
				// Short, so that a publish into the black hole counts as not confirmed within the test.
				"--attach.messaging.rabbit.confirm-timeout=1s", "--attach.health.interval=1s",
				"--management.endpoints.web.exposure.include=prometheus", "--server.port=0",
				"--logging.level.root=WARN", "--logging.level.io.attach=WARN", "--spring.main.banner-mode=off");
		this.queues.add("events-log:user.created");
	}

	/**
	 * Creates the meters that exist only once something happened: a user signed up (mail and message through their
	 * outboxes, a cached read), and messages a handler parks, retries, or handles while the broker is cut off.
	 */
	private void exercise() throws Exception {
		Http http = http();
		String created = http.postJson("/api/users", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}").body();
		long id = Long.parseLong(created.replaceAll(".*\"id\":(\\d+).*", "$1"));
		assertThat(http.get("/api/users/" + id).statusCode()).isEqualTo(200);
		Subscriptions subscriptions = this.application.getBean(Subscriptions.class);
		MessagePublisher publisher = this.application.getBean(MessagePublisher.class);
		subscribe(subscriptions, "monitoring.park", (message) -> {
			throw new ParkMessageException("parked by the test");
		});
		AtomicInteger retries = new AtomicInteger();
		subscribe(subscriptions, "monitoring.retry", (message) -> {
			if (retries.getAndIncrement() == 0) {
				throw new RetryLaterException("retried by the test");
			}
		});
		CountDownLatch handling = new CountDownLatch(1);
		CountDownLatch cutOff = new CountDownLatch(1);
		AtomicBoolean first = new AtomicBoolean(true);
		subscribe(subscriptions, "monitoring.redeliver", (message) -> {
			if (first.getAndSet(false)) {
				handling.countDown();
				// Handled, but its acknowledgement goes into the black hole: the broker delivers it again.
				cutOff.await(30, TimeUnit.SECONDS);
			}
		});
		publisher.publish("monitoring.park", "p");
		publisher.publish("monitoring.retry", "r");
		// No queue is bound to this topic: the broker returns it.
		publisher.publish("monitoring.nowhere", "n");
		// Retried once it comes back from its retry queue, before the broker is cut off.
		await().atMost(Duration.ofSeconds(30)).until(() -> retries.get() >= 2);
		publisher.publish("monitoring.redeliver", "d");
		assertThat(handling.await(30, TimeUnit.SECONDS)).isTrue();
		this.broker.blackhole();
		// Relayed into the black hole: not confirmed within the timeout.
		publisher.publish("monitoring.unconfirmed", "u");
		cutOff.countDown();
		// Longer than the confirm timeout, so that the relayed message counts as unconfirmed before the reset.
		Thread.sleep(3000);
		// Leaving the black hole resets the connections.
		this.broker.pass();
	}

	private void subscribe(Subscriptions subscriptions, String topic,
			MessageHandler<String> handler) {
		subscriptions.subscribe(topic, "monitoring", String.class, handler);
		this.queues.add("monitoring:" + topic);
	}

	private Http http() {
		return new Http(((WebServerApplicationContext) this.application).getWebServer().getPort(),
				Duration.ofSeconds(10));
	}

	private void deleteOnBroker() throws IOException, TimeoutException {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServers.RABBITMQ.host());
		factory.setPort(LocalServers.RABBITMQ.port());
		factory.setUsername("guest");
		factory.setPassword("guest");
		try (com.rabbitmq.client.Connection connection = factory.newConnection("attach-monitoring-test-cleanup")) {
			for (String queue : this.queues) {
				for (String suffix : List.of("", ":retry-1s", ":retry-10s", ":retry-1m", ":retry-10m", ":parked")) {
					// A channel per deletion: a broker refusal closes it.
					try (Channel channel = connection.createChannel()) {
						channel.queueDelete(this.names + "." + queue + suffix);
					}
				}
			}
			try (Channel channel = connection.createChannel()) {
				channel.exchangeDelete(this.names);
			}
		}
	}

	private static Set<Selector> dashboardSelectors() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
		Set<Selector> selectors = new LinkedHashSet<>();
		for (JsonNode expr : dashboard.findValues("expr")) {
			selectors.addAll(PromQl.selectors(expr.asString()));
		}
		// Template variables: label_values(<selector>, <label>).
		for (JsonNode variable : dashboard.path("templating").path("list")) {
			String query = variable.path("query").path("query").asString("");
			Matcher labelValues = Pattern
				.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)")
				.matcher(query);
			if (labelValues.matches()) {
				for (Selector selector : PromQl.selectors(labelValues.group(1))) {
					selectors.add(selector.withLabel(labelValues.group(2)));
				}
			}
		}
		return selectors;
	}

	@SuppressWarnings("unchecked")
	private static Set<Selector> alertSelectors() throws IOException {
		Map<String, Object> rules;
		try (InputStream in = Files.newInputStream(ALERTS)) {
			rules = new Yaml().load(in);
		}
		Set<Selector> selectors = new LinkedHashSet<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				selectors.addAll(PromQl.selectors((String) rule.get("expr")));
			}
		}
		return selectors;
	}

	/**
	 * A metric a query selects, with the label matchers it selects on.
	 */
	record Selector(String metric, List<LabelMatcher> matchers) {

		Selector withLabel(String label) {
			List<LabelMatcher> more = new ArrayList<>(this.matchers);
			more.add(new LabelMatcher(label, "=~", ".+"));
			return new Selector(this.metric, List.copyOf(more));
		}

		@Override
		public String toString() {
			return this.metric + this.matchers;
		}

	}

	/**
	 * One label matcher, such as {@code result="degraded"}.
	 */
	record LabelMatcher(String label, String operator, String value) {

		// A value with a Grafana variable in it is known only on the dashboard: only the label is checked.
		boolean matches(Map<String, String> labels) {
			if (TARGET_LABELS.contains(this.label)) {
				return true;
			}
			String actual = labels.get(this.label);
			if (actual == null) {
				return this.operator.startsWith("!");
			}
			if (this.value.contains("$")) {
				return true;
			}
			return switch (this.operator) {
				case "=" -> actual.equals(this.value);
				case "!=" -> !actual.equals(this.value);
				case "=~" -> actual.matches(this.value);
				default -> !actual.matches(this.value);
			};
		}

		@Override
		public String toString() {
			return this.label + this.operator + "\"" + this.value + "\"";
		}

	}

	/**
	 * Just enough of PromQL to find the metrics an expression selects: names, not functions, keywords, label lists
	 * of {@code by (...)} and friends, durations or numbers.
	 */
	static final class PromQl {

		private static final Pattern GROUPING = Pattern
			.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

		private static final Pattern SELECTOR = Pattern
			.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)\\}");

		private static final Pattern MATCHER = Pattern
			.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

		private static final Pattern IDENTIFIER = Pattern
			.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

		private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
				"on", "ignoring", "group_left", "group_right", "inf", "nan");

		private PromQl() {
		}

		static List<Selector> selectors(String expr) {
			List<Selector> selectors = new ArrayList<>();
			String rest = GROUPING.matcher(expr).replaceAll(" ");
			Matcher selector = SELECTOR.matcher(rest);
			StringBuilder names = new StringBuilder();
			while (selector.find()) {
				List<LabelMatcher> matchers = new ArrayList<>();
				Matcher matcher = MATCHER.matcher(selector.group(2));
				while (matcher.find()) {
					matchers.add(new LabelMatcher(matcher.group(1), matcher.group(2), matcher.group(3)));
				}
				assertThat(selector.group(1)).as("a selector without a metric name in %s", expr).isNotNull();
				selectors.add(new Selector(selector.group(1), List.copyOf(matchers)));
				selector.appendReplacement(names, " ");
			}
			selector.appendTail(names);
			// What is left: bare metric names, functions, keywords, ranges such as [5m], numbers.
			String bare = names.toString().replaceAll("\\[[^]]*\\]", " ").replaceAll("\"[^\"]*\"", " ");
			Matcher identifier = IDENTIFIER.matcher(bare);
			while (identifier.find()) {
				String name = identifier.group();
				boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
				boolean number = identifier.start() > 0 && Character.isDigit(bare.charAt(identifier.start() - 1));
				if (!function && !number && !KEYWORDS.contains(name.toLowerCase())) {
					selectors.add(new Selector(name, List.of()));
				}
			}
			return selectors;
		}

	}

	/**
	 * The series of one scrape of {@code /actuator/prometheus}, by metric name.
	 */
	record Scrape(Map<String, List<Map<String, String>>> series) {

		private static final Pattern LINE = Pattern
			.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+\\S+.*");

		private static final Pattern LABEL = Pattern
			.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

		static Scrape of(String text) {
			Map<String, List<Map<String, String>>> series = new HashMap<>();
			for (String line : text.split("\n")) {
				Matcher sample = LINE.matcher(line);
				if (line.startsWith("#") || !sample.matches()) {
					continue;
				}
				Map<String, String> labels = new HashMap<>();
				if (sample.group(2) != null) {
					Matcher label = LABEL.matcher(sample.group(2));
					while (label.find()) {
						labels.put(label.group(1), label.group(2));
					}
				}
				series.computeIfAbsent(sample.group(1), (name) -> new ArrayList<>()).add(labels);
			}
			return new Scrape(series);
		}

		boolean matches(Selector selector) {
			return this.series.getOrDefault(selector.metric(), List.of())
				.stream()
				.anyMatch((labels) -> selector.matchers().stream().allMatch((matcher) -> matcher.matches(labels)));
		}

	}

}
