package io.attach.sample;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.function.Function;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.LocalServers;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app's cached reads with the machine's PostgreSQL, and its Redis behind a fault proxy: served from
 * Redis when it answers, from the database when it refuses, hangs or resets, and from Redis again once it is back.
 *
 * @author attach
 */
class CacheDegradationIntegrationTests {

	private static final String PREFIX = "attach-it-" + System.nanoTime() + ":";

	private static final String SCHEMA = "attach_cache_" + System.nanoTime();

	private static FaultProxy redis;

	private static GreenMail mail;

	private static ConfigurableApplicationContext context;

	private static Http http;

	@BeforeAll
	static void start() {
		LocalServers.POSTGRES.require();
		redis = LocalServers.REDIS.proxy();
		mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		mail.start();
		context = new SpringApplicationBuilder(SampleApplication.class, UserQueryCounter.class).run(
				"--DATABASE_URL=postgres://postgres@127.0.0.1:" + LocalServers.POSTGRES.port()
						+ "/test?options=-c%20search_path%3D" + SCHEMA,
				"--REDIS_URL=redis://127.0.0.1:" + redis.getPort() + "/0", "--spring.profiles.active=prod",
				// Messaging is not what this test is about: it runs in-process instead of on a broker.
				"--attach.require=database,cache,mail",
				"--SMTP_URL=smtp://127.0.0.1:" + mail.getSmtp().getPort(),
				"--spring.flyway.schemas=" + SCHEMA, "--server.port=0", "--attach.cache.key-prefix=" + PREFIX,
				// No background health checks during the tests: every byte to Redis comes from a cache call.
				"--attach.health.interval=1h",
				"--resilience4j.circuitbreaker.instances.cache.wait-duration-in-open-state=1s",
				"--management.endpoints.web.exposure.include=health,attachments,prometheus",
				"--management.endpoint.health.show-details=always",
				// Every test signs users up; the sample's limit is not under test here.
				"--sample.signups.limit=1000");
		http = new Http(((WebServerApplicationContext) context).getWebServer().getPort(), Duration.ofSeconds(5));
	}

	@AfterAll
	static void stop() throws Exception {
		if (context != null) {
			context.close();
		}
		if (redis != null) {
			redis.close();
		}
		if (mail != null) {
			mail.stop();
		}
		try (Connection connection = DriverManager.getConnection(
				"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		}
		withRedis((commands) -> {
			commands.keys(PREFIX + "*").forEach(commands::del);
			return 0L;
		});
	}

	@BeforeEach
	void healRedis() {
		redis.pass();
		long id = createUser("Probe");
		// Each read through a closed breaker with Redis answering fills or hits the cache; wait until one does.
		await().atMost(Duration.ofSeconds(15)).until(() -> get(id).statusCode() == 200 && breaker().equals("CLOSED"));
	}

	@Test
	void whenUserIsReadTwiceThenSecondReadIsServedFromRedis() {
		long id = createUser("Ada");
		int before = UserQueryCounter.reads.get();
		assertThat(get(id).body()).contains("\"name\":\"Ada\"");
		assertThat(get(id).body()).contains("\"name\":\"Ada\"");
		assertThat(UserQueryCounter.reads.get() - before).isEqualTo(1);
		assertThat(cachedInRedis(id)).isTrue();
	}

	@Test
	void whenUserIsUpdatedOrDeletedThenCachedEntryIsEvicted() {
		long id = createUser("Ada");
		get(id);
		assertThat(http.putJson("/api/users/" + id, "{\"name\":\"Grace\",\"email\":\"grace@example.com\"}")
			.statusCode()).isEqualTo(200);
		assertThat(cachedInRedis(id)).isFalse();
		assertThat(get(id).body()).contains("\"name\":\"Grace\"");
		assertThat(http.delete("/api/users/" + id).statusCode()).isEqualTo(204);
		assertThat(get(id).statusCode()).isEqualTo(404);
	}

	@Test
	void whenRedisRefusesThenReadsComeFromDatabaseAndReadinessStaysUp() {
		long id = createUser("Ada");
		redis.refuse();
		assertReadsServedByDatabase(id);
		assertThat(breaker()).isEqualTo("OPEN");
		assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
	}

	@Test
	void whenRedisIsBlackholedThenBreakerOpensAndRequestsStopTouchingRedis() {
		long id = createUser("Ada");
		redis.blackhole();
		assertReadsServedByDatabase(id);
		assertThat(breaker()).isEqualTo("OPEN");
		long bytes = redis.getBytesFromClients();
		for (int i = 0; i < 20; i++) {
			assertThat(get(id).statusCode()).isEqualTo(200);
		}
		assertThat(redis.getBytesFromClients()).isEqualTo(bytes);
		assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
	}

	@Test
	void whenRedisResetsMidCallThenReadsComeFromDatabase() {
		long id = createUser("Ada");
		get(id);
		redis.reset();
		assertReadsServedByDatabase(id);
		assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
	}

	@Test
	void whenRedisComesBackThenCacheIsUsedAgain() {
		long id = createUser("Ada");
		redis.refuse();
		assertReadsServedByDatabase(id);
		redis.pass();
		await().atMost(Duration.ofSeconds(15)).until(() -> get(id).statusCode() == 200 && breaker().equals("CLOSED"));
		get(id);
		int before = UserQueryCounter.reads.get();
		assertThat(get(id).body()).contains("\"name\":\"Ada\"");
		assertThat(UserQueryCounter.reads.get()).isEqualTo(before);
	}

	@Test
	void whenUserIsUpdatedDuringAnOutageThenTheStaleEntryIsNeverServedAfterIt() {
		long id = createUser("Ada");
		get(id);
		redis.refuse();
		assertThat(http.putJson("/api/users/" + id, "{\"name\":\"Grace\",\"email\":\"grace@example.com\"}")
			.statusCode()).isEqualTo(200);
		redis.pass();
		await().atMost(Duration.ofSeconds(15)).until(() -> get(id).statusCode() == 200 && breaker().equals("CLOSED"));
		assertThat(get(id).body()).contains("\"name\":\"Grace\"");
		assertThat(get(id).body()).contains("\"name\":\"Grace\"");
	}

	@Test
	void breakerStateIsInHealthDetailsButCacheNeverInReadinessOrLiveness() {
		redis.refuse();
		assertReadsServedByDatabase(createUser("Ada"));
		assertThat(http.get("/actuator/health").body()).contains("\"cache\"", "\"circuitBreaker\":\"OPEN\"");
		// The database, which readiness requires, has a breaker of its own now (closed); the cache's open one is absent.
		assertThat(http.get("/actuator/health/readiness").body()).doesNotContain("cache")
			.doesNotContain("\"circuitBreaker\":\"OPEN\"");
		assertThat(http.get("/actuator/health/liveness").body()).doesNotContain("cache");
	}

	@Test
	void metricsArePublishedPerResource() {
		long id = createUser("Ada");
		String before = http.get("/actuator/prometheus").body();
		get(id);
		get(id);
		String after = http.get("/actuator/prometheus").body();
		String gets = "attach_cache_gets_total{cache=\"users\",kind=\"redis\",resource=\"cache\",result=";
		assertThat(value(after, gets + "\"miss\"}") - value(before, gets + "\"miss\"}")).isEqualTo(1);
		assertThat(value(after, gets + "\"hit\"}") - value(before, gets + "\"hit\"}")).isEqualTo(1);
		String calls = "attach_resource_calls_seconds_count{kind=\"redis\",outcome=\"success\",resource=\"cache\"}";
		// A miss is a get and a put, a hit a get.
		assertThat(value(after, calls) - value(before, calls)).isEqualTo(3);
		assertThat(after).contains("resilience4j_circuitbreaker_state{group=\"none\",name=\"cache\",state=\"closed\"} 1.0")
			.doesNotContain("resilience4j_circuitbreaker_state{name=");
	}

	private static double value(String prometheus, String series) {
		return prometheus.lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1)))
			.findFirst()
			.orElse(0);
	}

	@Test
	void aResilience4jPropertyOverridesOneSettingAndAttachDefaultsKeepTheRest() {
		CircuitBreakerConfig config = context.getBean(CircuitBreakerRegistry.class)
			.circuitBreaker("cache")
			.getCircuitBreakerConfig();
		assertThat(config.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(1000L);
		assertThat(config.getSlidingWindowSize()).isEqualTo(5);
		assertThat(config.getMinimumNumberOfCalls()).isEqualTo(5);
		assertThat(config.getFailureRateThreshold()).isEqualTo(100f);
	}

	private void assertReadsServedByDatabase(long id) {
		for (int i = 0; i < 10; i++) {
			HttpResponse<String> response = get(id);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"id\":" + id);
		}
	}

	private static long createUser(String name) {
		HttpResponse<String> created = http.postJson("/api/users",
				"{\"name\":\"" + name + "\",\"email\":\"" + name.toLowerCase() + "@example.com\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		return Long.parseLong(created.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
	}

	private static HttpResponse<String> get(long id) {
		return http.get("/api/users/" + id);
	}

	private static String breaker() {
		return http.get("/actuator/attachments").body().replaceAll(".*\"name\":\"cache\".*?\"circuitBreaker\":\"(\\w+)\".*", "$1");
	}

	// Straight to the real Redis, not through the proxy, to see what the application stored.
	private static boolean cachedInRedis(long id) {
		return withRedis((commands) -> commands.exists(PREFIX + "users::" + id)) == 1L;
	}

	private static long withRedis(Function<RedisCommands<String, String>, Long> action) {
		RedisClient client = RedisClient.create("redis://" + LocalServers.REDIS.require().host() + ":"
				+ LocalServers.REDIS.port() + "/0");
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return action.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

}
