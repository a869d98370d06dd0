package io.attach.amqp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.UUID;

import javax.net.ssl.SSLException;

import io.attach.core.AttachAutoConfiguration;
import io.attach.test.LocalServers;
import io.attach.test.TestTls;
import io.attach.test.TlsFront;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Integration tests of {@code amqps} against the machine's RabbitMQ behind a TLS terminator that presents the
 * self-signed test certificate: TLS is really negotiated, and the certificate really verified.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class AmqpTlsIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(AttachAutoConfiguration.class, AmqpAttachAutoConfiguration.class,
					RabbitAutoConfiguration.class));

	@TempDir
	Path directory;

	private TlsFront front;

	@BeforeEach
	void startFront() {
		LocalServers.RABBITMQ.require();
		this.front = TlsFront.to(LocalServers.RABBITMQ.host(), LocalServers.RABBITMQ.port());
	}

	@AfterEach
	void stopFront() {
		this.front.close();
	}

	@Test
	void whenTheBrokersCertificateIsNotTrustedThenConnectingFails() {
		// The trap: the client's useSslProtocol() would trust it, and so would TLS without a bundle.
		this.contextRunner.withPropertyValues("AMQP_URL=amqps://guest:guest@127.0.0.1:" + this.front.port())
			.run((context) -> {
				ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
				assertThatExceptionOfType(AmqpException.class).isThrownBy(connectionFactory::createConnection)
					.withCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class)
					.withRootCauseInstanceOf(java.security.cert.CertPathBuilderException.class);
			});
		assertThat(this.front.completedHandshakes()).isZero();
	}

	@Test
	void whenTheCaCertificateFileTrustsTheBrokerThenMessagesGoThroughTls() throws Exception {
		Path ca = caCertificateFile();
		this.contextRunner
			.withPropertyValues("AMQP_URL=amqps://guest:guest@127.0.0.1:" + this.front.port() + "/%2F?cacertfile=" + ca)
			.run((context) -> assertRoundTrip(context.getBean(ConnectionFactory.class)));
		assertThat(this.front.completedHandshakes()).isPositive();
	}

	@Test
	void whenTheHostIsTheCertificatesNameThenItVerifies() throws Exception {
		Path ca = caCertificateFile();
		this.contextRunner
			.withPropertyValues("AMQP_URL=amqps://guest:guest@localhost:" + this.front.port() + "?cacertfile=" + ca)
			.run((context) -> assertRoundTrip(context.getBean(ConnectionFactory.class)));
		assertThat(this.front.completedHandshakes()).isPositive();
	}

	@Test
	void whenTheTrustedCertificateIsForAnotherHostThenConnectingFails() throws Exception {
		// Trusted, but issued to elsewhere.invalid only: the host name check alone must refuse it.
		Path ca = Files.writeString(this.directory.resolve("other.pem"), TestTls.otherNameCertificatePem());
		try (TlsFront other = TlsFront.to(LocalServers.RABBITMQ.host(), LocalServers.RABBITMQ.port(),
				TestTls.otherNameServerSslContext())) {
			this.contextRunner
				.withPropertyValues("AMQP_URL=amqps://guest:guest@localhost:" + other.port() + "?cacertfile=" + ca)
				.run((context) -> {
					ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
					assertThatExceptionOfType(AmqpException.class).isThrownBy(connectionFactory::createConnection)
						.withCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class)
						.withRootCauseInstanceOf(java.security.cert.CertificateException.class)
						.satisfies((ex) -> assertThat(ex.getCause()).hasMessageContaining("localhost"));
				});
			// The same certificate without the host name check connects: nothing else was wrong with it.
			this.contextRunner
				.withPropertyValues("AMQP_URL=amqps://guest:guest@localhost:" + other.port() + "?cacertfile=" + ca,
						"spring.rabbitmq.ssl.verify-hostname=false")
				.run((context) -> assertRoundTrip(context.getBean(ConnectionFactory.class)));
			assertThat(other.completedHandshakes()).isOne();
		}
	}

	@Test
	void whenAmqpsPointsAtThePlainPortThenConnectingFails() throws Exception {
		Path ca = caCertificateFile();
		this.contextRunner
			.withPropertyValues("AMQP_URL=amqps://guest:guest@127.0.0.1:" + LocalServers.RABBITMQ.port()
					+ "?cacertfile=" + ca, "attach.amqp.handshake-timeout=2s")
			.run((context) -> {
				ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
				assertThatExceptionOfType(AmqpException.class).isThrownBy(connectionFactory::createConnection)
					.satisfies((ex) -> assertThat(ex).hasCauseInstanceOf(SSLException.class));
			});
	}

	@Test
	void whenVerificationIsTurnedOffThenItConnectsAndStartupWarns(CapturedOutput output) throws Exception {
		this.contextRunner
			.withPropertyValues(
					"AMQP_URL=amqps://guest:guest@127.0.0.1:" + this.front.port() + "?verify=verify_none")
			.run((context) -> assertRoundTrip(context.getBean(ConnectionFactory.class)));
		assertThat(this.front.completedHandshakes()).isPositive();
		assertThat(output).contains("WARN").contains("AMQP_URL has verify=verify_none");
	}

	private static void assertRoundTrip(ConnectionFactory connectionFactory) {
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		String queue = admin.declareQueue(new Queue("attach-tls-" + UUID.randomUUID(), false, true, true));
		try {
			RabbitTemplate template = new RabbitTemplate(connectionFactory);
			template.convertAndSend("", queue, "over TLS");
			template.setReceiveTimeout(5000);
			assertThat(template.receiveAndConvert(queue)).isEqualTo("over TLS");
		}
		finally {
			admin.deleteQueue(queue);
		}
	}

	// The test certificate as the PEM file a broker's operator hands out as its CA.
	private Path caCertificateFile() throws IOException, GeneralSecurityException {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(TestTls.trustStoreFile())) {
			trust.load(in, TestTls.PASSWORD.toCharArray());
		}
		Certificate certificate = trust.getCertificate(trust.aliases().nextElement());
		String pem = "-----BEGIN CERTIFICATE-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(certificate.getEncoded())
				+ "\n-----END CERTIFICATE-----\n";
		return Files.writeString(this.directory.resolve("ca.pem"), pem);
	}

}
