package io.attach.sample;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import io.attach.resilience.ResourceGuards;
import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app's answer to a request that attach refuses because the database's circuit breaker is open, with the
 * machine's PostgreSQL behind a fault proxy.
 *
 * @author attach
 */
class DatabaseUnavailableIntegrationTests {

	private static final String SCHEMA = "attach_unavailable_" + System.nanoTime();

	@Test
	@Timeout(60)
	void whenDatabaseBreakerIsOpenThenReadsAndWritesGet503WithRetryAfter() throws Exception {
		try (FaultProxy database = LocalServers.POSTGRES.proxy();
				ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
						"--DATABASE_URL=postgres://postgres@127.0.0.1:" + database.getPort()
								+ "/test?options=-c%20search_path%3D" + SCHEMA,
						"--spring.flyway.schemas=" + SCHEMA, "--spring.cache.type=none", "--server.port=0",
						"--attach.health.interval=200ms", "--logging.level.root=WARN",
						"--spring.main.banner-mode=off")) {
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort(),
					Duration.ofSeconds(10));
			assertThat(http.postJson("/api/users", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}").statusCode())
				.isEqualTo(201);
			database.refuse();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> context.getBean(ResourceGuards.class).find("database").orElseThrow().isOpen());
			assertRefused(http.get("/api/users/1"));
			// A write fails earlier, when its transaction cannot get a connection.
			assertRefused(http.postJson("/api/users", "{\"name\":\"Bob\",\"email\":\"bob@example.com\"}"));
		}
		finally {
			try (Connection connection = DriverManager.getConnection(
					"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "")) {
				connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
			}
		}
	}

	private static void assertRefused(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		// Whole seconds until the breaker lets a call through again: attach's default is 5 s open.
		assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
				(seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 5));
		assertThat(response.body()).contains("\"title\":\"Database unavailable\"");
	}

}
