package io.attach.sample;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.core.InvalidResourceUrlException;
import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.LocalServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample application with a canary password in {@code DATABASE_URL}, {@code REDIS_URL} and
 * {@code SMTP_URL}, reads every actuator endpoint with
 * values shown, breaks the database, and finds the canary nowhere.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsSweepIntegrationTests {

	private static final String CANARY = "CANARY7f3a";

	// Percent-encoded '@' and '#' check that neither the raw nor the decoded form leaks.
	private static final String PASSWORD = CANARY + "%40p%23w";

	private static final Pattern LINK = Pattern.compile("\"href\":\"http://127\\.0\\.0\\.1:\\d+(/actuator[^\"{]*)\"");

	private final String schema = "attach_sweep_" + System.nanoTime();

	private final List<String> bodies = new ArrayList<>();

	private FaultProxy proxy;

	private FaultProxy redis;

	private final GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

	@BeforeEach
	void startMailServer() {
		this.greenMail.start();
		this.greenMail.setUser("apikey", CANARY + "smtp");
	}

	@AfterEach
	void dropSchemaAndKeys() throws Exception {
		this.greenMail.stop();
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
		LocalServers.Server redisServer = LocalServers.REDIS;
		RedisClient client = RedisClient.create(RedisURI.create(redisServer.host(), redisServer.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			List<String> keys = connection.sync().keys(this.schema + ":*");
			if (!keys.isEmpty()) {
				connection.sync().del(keys.toArray(String[]::new));
			}
		}
		finally {
			client.shutdown();
		}
		LocalServers.Server postgres = LocalServers.POSTGRES;
		try (Connection connection = DriverManager.getConnection(
				"jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/test", "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
		}
	}

	@Test
	void canaryPasswordAppearsInNoEndpointLogOrFailureReport(CapturedOutput output) {
		this.proxy = LocalServers.POSTGRES.proxy();
		this.redis = LocalServers.REDIS.proxy();
		try (ConfigurableApplicationContext context = start(databaseUrl(this.proxy.getPort()), this.redis.getPort())) {
			// Endpoints that query the database (flyway) wait out the pool's 5 s timeout once it is refused.
			Http http = new Http(((WebServerApplicationContext) context).getWebServer().getPort(),
					Duration.ofSeconds(15));
			await().until(() -> http.get("/readyz").statusCode() == 200);
			read(http, "/api/users/" + created(http));
			// The welcome mail went out with the canary password: the sweep reads a server that used it.
			await().until(() -> this.greenMail.getReceivedMessages().length == 1);
			readActuator(http);
			this.proxy.refuse();
			this.redis.refuse();
			await().until(() -> http.get("/readyz").statusCode() == 503);
			// Never cached (not found is not cached), so the read reaches the refused database.
			HttpResponse<String> unavailable = http.get("/api/users/987654");
			assertThat(unavailable.statusCode()).isEqualTo(503);
			this.bodies.add(unavailable.body());
			readActuator(http);
		}
		assertThatThrownBy(() -> start("postgres://postgres:" + CANARY + "#bad@127.0.0.1:1/test", 1)).rootCause()
			.isInstanceOf(InvalidResourceUrlException.class);
		// The sweep must have looked where a leak would show, or finding nothing proves nothing.
		assertThat(String.join("\n", this.bodies)).contains("\"circuitBreaker\"", "\"DATABASE_URL\"", "postgres://postgres:****@127.0.0.1",
				"\"REDIS_URL\"", "redis://****@127.0.0.1", "\"SMTP_URL\"", "smtp://apikey:****@127.0.0.1",
				"\"database\"", "\"status\":\"DOWN\"");
		assertThat(this.bodies).hasSizeGreaterThan(20);
		assertThat(output).contains("Attached database (jdbc) from DATABASE_URL", "APPLICATION FAILED TO START",
				"HikariPool", "SMTP_URL has starttls=optional");
		assertThat(this.bodies).allSatisfy((body) -> assertThat(body).doesNotContain(CANARY));
		assertThat(output.getAll()).doesNotContain(CANARY);
	}

	private ConfigurableApplicationContext start(String databaseUrl, int redisPort) {
		// A lone user-info token is a Redis password: the form most likely to be shown as a user name.
		String redisUrl = "redis://" + CANARY + "redis@127.0.0.1:" + redisPort + "/0";
		// GreenMail offers no STARTTLS: the explicit clear-text opt-out lets the canary reach it, and puts the opt-out's
		// startup warning in the sweep too.
		String smtpUrl = "smtp://apikey:" + CANARY + "smtp@127.0.0.1:" + this.greenMail.getSmtp().getPort()
				+ "?starttls=optional";
		return new SpringApplicationBuilder(SampleApplication.class).run("--DATABASE_URL=" + databaseUrl,
				"--REDIS_URL=" + redisUrl, "--SMTP_URL=" + smtpUrl,
				"--spring.profiles.active=prod",
				// Messaging is not what this test is about: it runs in-process instead of on a broker.
				"--attach.require=database,cache,mail", "--spring.flyway.schemas=" + this.schema, "--server.port=0",
				"--attach.health.interval=100ms", "--attach.cache.key-prefix=" + this.schema + ":", "--management.endpoints.web.exposure.include=*",
				"--management.endpoint.env.show-values=always", "--management.endpoint.configprops.show-values=always",
				"--management.endpoint.health.show-details=always");
	}

	private String databaseUrl(int port) {
		return "postgres://postgres:" + PASSWORD + "@127.0.0.1:" + port + "/test?options=-c%20search_path%3D"
				+ this.schema;
	}

	private String created(Http http) {
		HttpResponse<String> response = http.postJson("/api/users", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
		assertThat(response.statusCode()).isEqualTo(201);
		this.bodies.add(response.body());
		return response.body().replaceAll(".*\"id\":(\\d+).*", "$1");
	}

	private void readActuator(Http http) {
		String index = read(http, "/actuator");
		Matcher links = LINK.matcher(index);
		while (links.find()) {
			String path = links.group(1);
			// A heap dump holds all of memory, the password included, by nature; it is never safe to expose.
			if (!path.endsWith("/heapdump")) {
				read(http, path);
			}
		}
		read(http, "/actuator/env/DATABASE_URL");
		read(http, "/actuator/env/SMTP_URL");
		read(http, "/actuator/configprops/attach");
		read(http, "/readyz");
	}

	private String read(Http http, String path) {
		String body = http.get(path).body();
		this.bodies.add(body);
		return body;
	}

}
