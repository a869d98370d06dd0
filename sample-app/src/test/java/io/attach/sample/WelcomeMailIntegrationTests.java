package io.attach.sample;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.outbox.Outbox;
import io.attach.sample.users.NewUser;
import io.attach.sample.users.UserService;
import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.LocalServers;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app's welcome mail with the machine's PostgreSQL and Redis, and GreenMail behind a fault proxy: users
 * are created promptly while SMTP is refused or black-holed, every welcome mail arrives once SMTP is back, after a
 * restart too, and a user whose transaction rolls back gets none.
 *
 * @author attach
 */
class WelcomeMailIntegrationTests {

	// Servers' own threads may throw on purpose here (a refused handshake): only the condition decides.
	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20))
		.dontCatchUncaughtExceptions();

	private static final String SCHEMA = "attach_mail_" + System.nanoTime();

	private static GreenMail greenMail;

	private static FaultProxy smtp;

	private ConfigurableApplicationContext context;

	private Http http;

	@BeforeAll
	static void startMailServer() {
		LocalServers.POSTGRES.require();
		LocalServers.REDIS.require();
		greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		greenMail.start();
		smtp = FaultProxy.to("127.0.0.1", greenMail.getSmtp().getPort());
	}

	@AfterAll
	static void stopMailServer() throws Exception {
		smtp.close();
		greenMail.stop();
		try (Connection connection = DriverManager.getConnection(
				"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
		}
	}

	@BeforeEach
	void start() {
		smtp.pass();
		startApplication();
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	@Test
	void whenSmtpIsRefusedThenBlackHoledThenUsersAreCreatedAndEveryWelcomeMailArrivesOnceAfterwards() {
		String prefix = "outage-" + System.nanoTime() + "-";
		smtp.refuse();
		createUsers(prefix, 0, 100);
		smtp.blackhole();
		createUsers(prefix, 100, 200);
		assertThat(this.http.get("/readyz").statusCode()).isEqualTo(200);
		assertThat(EVENTUALLY.until(() -> outbox().getStats().queued(), (queued) -> queued == 200)).isEqualTo(200);
		assertThat(this.http.get("/actuator/attachments").body()).contains("\"outbox\":{\"queued\":200");
		assertThat(received(prefix)).isEmpty();
		smtp.pass();
		List<MimeMessage> received = EVENTUALLY.until(() -> received(prefix), (messages) -> messages.size() >= 200);
		Map<String, List<String>> idsByRecipient = received.stream()
			.collect(Collectors.groupingBy(WelcomeMailIntegrationTests::recipient,
					Collectors.mapping(WelcomeMailIntegrationTests::messageId, Collectors.toList())));
		assertThat(idsByRecipient).hasSize(200).allSatisfy((recipient, ids) -> assertThat(ids).hasSize(1));
		assertThat(received).extracting(WelcomeMailIntegrationTests::messageId).doesNotHaveDuplicates();
		assertThat(EVENTUALLY.until(() -> outbox().getStats().queued(), (queued) -> queued == 0)).isZero();
	}

	@Test
	void whenApplicationRestartsWithMailQueuedThenNoneIsLost() {
		String prefix = "restart-" + System.nanoTime() + "-";
		smtp.refuse();
		createUsers(prefix, 0, 10);
		this.context.close();
		smtp.pass();
		startApplication();
		assertThat(EVENTUALLY.until(() -> received(prefix), (messages) -> messages.size() >= 10))
			.extracting(WelcomeMailIntegrationTests::recipient)
			.hasSize(10)
			.doesNotHaveDuplicates();
	}

	@Test
	void whenUserTransactionRollsBackThenItsWelcomeMailIsNeverSent() {
		String prefix = "rollback-" + System.nanoTime() + "-";
		UserService users = this.context.getBean(UserService.class);
		new TransactionTemplate(this.context.getBean(PlatformTransactionManager.class)).executeWithoutResult((status) -> {
			users.create(new NewUser("Rolled Back", prefix + "gone@example.com"));
			status.setRollbackOnly();
		});
		createUsers(prefix, 0, 1);
		// Mail goes out in enqueue order: once the later one arrived, the rolled-back one would have too.
		EVENTUALLY.until(() -> received(prefix), (messages) -> !messages.isEmpty());
		assertThat(received(prefix)).extracting(WelcomeMailIntegrationTests::recipient)
			.containsExactly(prefix + "0@example.com");
	}

	private void startApplication() {
		this.context = new SpringApplicationBuilder(SampleApplication.class).run(
				"--DATABASE_URL=postgres://postgres@127.0.0.1:" + LocalServers.POSTGRES.port()
						+ "/test?options=-c%20search_path%3D" + SCHEMA,
				"--REDIS_URL=redis://127.0.0.1:" + LocalServers.REDIS.port() + "/0",
				"--SMTP_URL=smtp://127.0.0.1:" + smtp.getPort(), "--spring.profiles.active=prod",
				// Messaging is not what this test is about: it runs in-process instead of on a broker.
				"--attach.require=database,cache,mail",
				"--spring.flyway.schemas=" + SCHEMA, "--server.port=0", "--attach.cache.key-prefix=" + SCHEMA + ":",
				// Shorter than production so that the test waits seconds, not minutes, for recovery.
				"--attach.mail.read-timeout=2s", "--attach.outbox.retry.max-interval=1s",
				"--resilience4j.circuitbreaker.instances.mail.wait-duration-in-open-state=1s",
				"--management.endpoints.web.exposure.include=health,attachments",
				// 210 sign-ups in seconds: far beyond the sample's limit, which is not under test here.
				"--sample.signups.limit=1000");
		this.http = new Http(((WebServerApplicationContext) this.context).getWebServer().getPort(),
				Duration.ofSeconds(5));
	}

	private void createUsers(String prefix, int from, int to) {
		IntStream.range(from, to).forEach((i) -> {
			HttpResponse<String> response = this.http.postJson("/api/users",
					"{\"name\":\"User " + i + "\",\"email\":\"" + prefix + i + "@example.com\"}");
			assertThat(response.statusCode()).as("POST /api/users while SMTP is down").isEqualTo(201);
		});
	}

	private Outbox outbox() {
		return this.context.getBean("mailOutbox", Outbox.class);
	}

	private static List<MimeMessage> received(String prefix) {
		Predicate<MimeMessage> ours = (message) -> recipient(message).startsWith(prefix);
		return Arrays.stream(greenMail.getReceivedMessages()).filter(ours).toList();
	}

	private static String recipient(MimeMessage message) {
		try {
			return message.getAllRecipients()[0].toString();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String messageId(MimeMessage message) {
		try {
			return message.getMessageID();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
