package io.attach.mail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.outbox.Outbox;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import io.attach.outbox.OutboxEndpoint;
import io.attach.outbox.OutboxStats;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.test.FaultProxy;
import io.attach.test.StartTlsFront;
import io.attach.test.TestKeyGreenMail;
import io.attach.test.TestTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of attached mail against GreenMail, a real SMTP server in-process: plain, STARTTLS and implicit TLS with a
 * test certificate, authentication, outages through a fault proxy, and restarts with mail queued.
 *
 * @author attach
 */
class MailOutboxIntegrationTests {

	// Servers' own threads may throw on purpose here (a refused handshake): only the condition decides.
	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20))
		.dontCatchUncaughtExceptions();

	private static final String USER = "app";

	private static final String PASSWORD = "s3cret";

	@TempDir
	Path spool;

	private GreenMail greenMail;

	private FaultProxy proxy;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				OutboxAttachAutoConfiguration.class, MailAttachAutoConfiguration.class, SslAutoConfiguration.class,
				HealthAttachAutoConfiguration.class, MailHealthAttachAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("attach.outbox.poll-interval=200ms", "attach.outbox.retry.initial-interval=100ms",
				"attach.outbox.retry.max-interval=500ms", "attach.mail.read-timeout=1s",
				"attach.mail.connect-timeout=1s", "MAIL_FROM=App <no-reply@example.com>");

	@BeforeEach
	void startGreenMail() {
		this.greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		this.greenMail.start();
		this.greenMail.setUser("user@localhost", USER, PASSWORD);
		this.proxy = FaultProxy.to("127.0.0.1", this.greenMail.getSmtp().getPort());
	}

	@AfterEach
	void stopGreenMail() {
		this.proxy.close();
		this.greenMail.stop();
	}

	private ApplicationContextRunner attached(String smtpUrl) {
		return this.contextRunner.withPropertyValues("SMTP_URL=" + smtpUrl, "attach.outbox.directory=" + this.spool);
	}

	@Test
	void whenServerIsPlainSmtpThenMailArrivesWithItsMessageIdAndDefaultSender() {
		attached("smtp://127.0.0.1:" + this.greenMail.getSmtp().getPort()).run((context) -> {
			send(context, "ada@example.com", "Welcome");
			MimeMessage received = awaitReceived(1).get(0);
			assertThat(received.getSubject()).isEqualTo("Welcome");
			assertThat(received.getFrom()[0]).hasToString("App <no-reply@example.com>");
			assertThat(received.getMessageID()).matches("<[0-9a-f-]{36}@example.com>");
			// The counts are those of the relay's last round, which ends just after the mail arrived.
			assertThat(EVENTUALLY.until(() -> outbox(context).getStats().queued(), (queued) -> queued == 0)).isZero();
		});
	}

	@Test
	void whenUrlHasCredentialsThenMailIsSentAuthenticatedOverStartTls() {
		// Credentials need TLS: without ?starttls=required in the URL, STARTTLS is required all the same.
		try (StartTlsFront front = StartTlsFront.to("127.0.0.1", this.greenMail.getSmtp().getPort())) {
			attached("smtp://" + USER + ":" + PASSWORD + "@127.0.0.1:" + front.port())
				.withPropertyValues(trustTestCertificate())
				.run((context) -> {
					send(context, "ada@example.com", "Authenticated");
					assertThat(awaitReceived(1)).singleElement()
						.satisfies((message) -> assertThat(message.getSubject()).isEqualTo("Authenticated"));
					assertThat(front.upgradedConnections()).isPositive();
				});
		}
	}

	@Test
	void whenServerOffersStartTlsThenMailIsSentOverVerifiedTls() {
		try (StartTlsFront front = StartTlsFront.to("127.0.0.1", this.greenMail.getSmtp().getPort())) {
			attached("smtp://" + USER + ":" + PASSWORD + "@127.0.0.1:" + front.port() + "?starttls=required")
				.withPropertyValues(trustTestCertificate())
				.run((context) -> {
					send(context, "ada@example.com", "Over STARTTLS");
					assertThat(awaitReceived(1)).hasSize(1);
					assertThat(front.upgradedConnections()).isPositive();
				});
		}
	}

	@Test
	void whenStartTlsIsRequiredAndNotOfferedThenMailStaysQueued() {
		attached("smtp://127.0.0.1:" + this.greenMail.getSmtp().getPort() + "?starttls=required").run((context) -> {
			send(context, "ada@example.com", "Never in clear text");
			EVENTUALLY.until(() -> counter(context, "retried"), (retried) -> retried >= 2);
			assertThat(this.greenMail.getReceivedMessages()).isEmpty();
			assertThat(outbox(context).getStats()).extracting(OutboxStats::queued, OutboxStats::parked)
				.containsExactly(1L, 0L);
		});
	}

	@Test
	void whenServerUsesImplicitTlsThenMailIsSentWithTheCertificateVerified() {
		GreenMail smtps = new TestKeyGreenMail(ServerSetupTest.SMTPS.dynamicPort());
		smtps.start();
		try {
			attached("smtps://127.0.0.1:" + smtps.getSmtps().getPort()).withPropertyValues(trustTestCertificate())
				.run((context) -> {
					send(context, "ada@example.com", "Over TLS");
					assertThat(EVENTUALLY.until(smtps::getReceivedMessages, (messages) -> messages.length == 1))
						.hasSize(1);
				});
		}
		finally {
			smtps.stop();
		}
	}

	@Test
	void whenServerCertificateIsNotTrustedThenMailStaysQueued() {
		GreenMail smtps = new TestKeyGreenMail(ServerSetupTest.SMTPS.dynamicPort());
		smtps.start();
		try {
			attached("smtps://127.0.0.1:" + smtps.getSmtps().getPort()).run((context) -> {
				send(context, "ada@example.com", "Not to an impostor");
				EVENTUALLY.until(() -> counter(context, "retried"), (retried) -> retried >= 2);
				assertThat(smtps.getReceivedMessages()).isEmpty();
				assertThat(outbox(context).getStats().queued()).isEqualTo(1);
			});
		}
		finally {
			smtps.stop();
		}
	}

	@Test
	void whenCredentialsAreRejectedThenMailIsParkedAndNotRetried() {
		try (StartTlsFront front = StartTlsFront.to("127.0.0.1", this.greenMail.getSmtp().getPort())) {
			attached("smtp://" + USER + ":wrong@127.0.0.1:" + front.port()).withPropertyValues(trustTestCertificate())
				.run((context) -> {
					send(context, "ada@example.com", "First");
					EVENTUALLY.until(() -> outbox(context).getStats().parked(), (parked) -> parked == 1);
					// A second mail parked later shows the relay kept working without retrying the first.
					send(context, "bob@example.com", "Second");
					EVENTUALLY.until(() -> outbox(context).getStats().parked(), (parked) -> parked == 2);
					assertThat(counter(context, "parked")).isEqualTo(2);
					assertThat(counter(context, "retried")).isZero();
					assertThat(outbox(context).getStats().queued()).isZero();
					assertThat(this.greenMail.getReceivedMessages()).isEmpty();
				});
		}
	}

	@Test
	void whenCredentialsAreFixedThenRequeuedMailIsDelivered() {
		this.greenMail.setUser("rotated@localhost", "rotated", "old-key");
		// Clear text allowed on purpose, as on a trusted network: the rotation is the point here, not TLS.
		attached("smtp://rotated:new-key@127.0.0.1:" + this.greenMail.getSmtp().getPort() + "?starttls=optional")
			.withPropertyValues("management.endpoints.web.exposure.include=outbox")
			.run((context) -> {
				send(context, "ada@example.com", "After the key rotation");
				EVENTUALLY.until(() -> outbox(context).getStats().parked(), (parked) -> parked == 1);
				this.greenMail.getUserManager().getUser("rotated").setPassword("new-key");
				OutboxEndpoint endpoint = context.getBean(OutboxEndpoint.class);
				assertThat(endpoint.requeueParked("mail")).containsEntry("requeued", 1);
				assertThat(endpoint.requeueParked("cache")).isNull();
				assertThat(awaitReceived(1)).singleElement()
					.satisfies((message) -> assertThat(message.getSubject()).isEqualTo("After the key rotation"));
				assertThat(endpoint.outboxes()).containsKey("mail");
			});
	}

	@Test
	void whenServerIsRefusedThenBlackHoledThenSendReturnsAndEveryMailArrivesOnceOnRecovery() {
		attached("smtp://127.0.0.1:" + this.proxy.getPort()).run((context) -> {
			this.proxy.refuse();
			for (int i = 0; i < 20; i++) {
				send(context, "user" + i + "@example.com", "Refused " + i);
			}
			EVENTUALLY.until(() -> counter(context, "retried"), (retried) -> retried >= 1);
			// Gauges must outlive a collection: Micrometer holds their source weakly.
			System.gc();
			assertThat(EVENTUALLY.until(
					() -> context.getBean(MeterRegistry.class).get("attach.outbox.queued").gauge().value(),
					(queued) -> queued == 20))
				.isEqualTo(20);
			this.proxy.blackhole();
			for (int i = 20; i < 40; i++) {
				send(context, "user" + i + "@example.com", "Black-holed " + i);
			}
			EVENTUALLY.until(() -> this.proxy.getConnectionCount(), (connections) -> connections >= 1);
			assertThat(this.greenMail.getReceivedMessages()).isEmpty();
			this.proxy.pass();
			List<MimeMessage> received = awaitReceived(40);
			assertThat(byMessageId(received)).hasSize(40);
			assertThat(received.stream().map(MailOutboxIntegrationTests::recipient)).hasSize(40)
				.doesNotHaveDuplicates();
			assertThat(EVENTUALLY.until(() -> outbox(context).getStats().queued(), (queued) -> queued == 0)).isZero();
			System.gc();
			assertThat(context.getBean(MeterRegistry.class).get("attach.outbox.queued").gauge().value()).isZero();
			assertThat(counter(context, "delivered")).isEqualTo(40);
		});
	}

	@Test
	void whenContextIsStoppedAndStartedThenOneRelayDeliversEachMailOnce() {
		attached("smtp://127.0.0.1:" + this.greenMail.getSmtp().getPort()).run((context) -> {
			context.stop();
			send(context, "ada@example.com", "While stopped");
			context.start();
			send(context, "bob@example.com", "After the restart");
			assertThat(awaitReceived(2)).hasSize(2);
			assertThat(EVENTUALLY.until(MailOutboxIntegrationTests::relayThreads, (threads) -> threads == 1)).isOne();
		});
	}

	@Test
	void whenApplicationRestartsWithMailQueuedThenNoneIsLost() {
		ApplicationContextRunner application = attached("smtp://127.0.0.1:" + this.proxy.getPort());
		this.proxy.refuse();
		application.run((context) -> {
			for (int i = 0; i < 5; i++) {
				send(context, "user" + i + "@example.com", "Queued " + i);
			}
			EVENTUALLY.until(() -> counter(context, "retried"), (retried) -> retried >= 1);
			assertThat(this.greenMail.getReceivedMessages()).isEmpty();
		});
		this.proxy.pass();
		application.run((context) -> assertThat(byMessageId(awaitReceived(5))).hasSize(5));
	}

	private static long relayThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("attach-outbox-mail"))
			.count();
	}

	private static String[] trustTestCertificate() {
		return new String[] {
				"spring.ssl.bundle.jks.mail-test.truststore.location=file:" + TestTls.trustStoreFile(),
				"spring.ssl.bundle.jks.mail-test.truststore.password=" + TestTls.PASSWORD,
				"spring.ssl.bundle.jks.mail-test.truststore.type=PKCS12", "spring.mail.ssl.bundle=mail-test" };
	}

	private static void send(AssertableApplicationContext context, String to, String subject) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setTo(to);
		message.setSubject(subject);
		message.setText("Hello " + to);
		context.getBean(JavaMailSender.class).send(message);
	}

	private static Outbox outbox(AssertableApplicationContext context) {
		return context.getBean(Outbox.class);
	}

	private static double counter(AssertableApplicationContext context, String outcome) {
		return context.getBean(MeterRegistry.class)
			.get("attach.outbox.attempts")
			.tags("resource", "mail", "outcome", outcome)
			.counter()
			.count();
	}

	private List<MimeMessage> awaitReceived(int count) {
		return Arrays.asList(EVENTUALLY.until(this.greenMail::getReceivedMessages,
				(messages) -> byMessageId(Arrays.asList(messages)).size() >= count));
	}

	private static Map<String, List<MimeMessage>> byMessageId(List<MimeMessage> messages) {
		return messages.stream().collect(Collectors.groupingBy(MailOutboxIntegrationTests::messageId));
	}

	private static String messageId(MimeMessage message) {
		try {
			return message.getMessageID();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String recipient(MimeMessage message) {
		try {
			return message.getAllRecipients()[0].toString();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
