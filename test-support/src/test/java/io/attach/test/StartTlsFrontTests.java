package io.attach.test;

import java.util.Properties;

import javax.net.ssl.SSLHandshakeException;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StartTlsFront} in front of GreenMail, and for GreenMail's SMTPS with the {@link TestTls} key.
 *
 * @author attach
 */
class StartTlsFrontTests {

	private static final String USER = "user";

	private static final String PASSWORD = "secret";

	private GreenMail greenMail;

	private StartTlsFront front;

	@BeforeEach
	void start() {
		this.greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		this.greenMail.start();
		this.greenMail.setUser("user@localhost", USER, PASSWORD);
		this.front = StartTlsFront.to("127.0.0.1", this.greenMail.getSmtp().getPort());
	}

	@AfterEach
	void stop() {
		this.front.close();
		this.greenMail.stop();
	}

	@Test
	void whenClientTrustsTheTestCertificateThenMailIsSentOverStartTls() throws MessagingException {
		Properties properties = smtpProperties(this.front.port());
		properties.put("mail.smtp.ssl.socketFactory", TestTls.clientSslContext().getSocketFactory());
		send(Session.getInstance(properties), "smtp");
		assertThat(this.greenMail.getReceivedMessages()).singleElement()
			.satisfies((message) -> assertThat(message.getSubject()).isEqualTo("Hello"));
		assertThat(this.front.upgradedConnections()).isEqualTo(1);
	}

	@Test
	void whenClientDoesNotTrustTheTestCertificateThenSendingFails() {
		Session session = Session.getInstance(smtpProperties(this.front.port()));
		assertThatExceptionOfType(MessagingException.class).isThrownBy(() -> send(session, "smtp"))
			.withCauseInstanceOf(SSLHandshakeException.class);
		assertThat(this.greenMail.getReceivedMessages()).isEmpty();
		assertThat(this.front.upgradedConnections()).isZero();
	}

	@Test
	void whenGreenMailSmtpsUsesTheTestKeyThenVerifyingClientSendsMail() throws MessagingException {
		GreenMail smtps = new TestKeyGreenMail(ServerSetupTest.SMTPS.dynamicPort());
		smtps.start();
		try {
			smtps.setUser("user@localhost", USER, PASSWORD);
			Properties properties = new Properties();
			properties.put("mail.smtps.host", "127.0.0.1");
			properties.put("mail.smtps.port", String.valueOf(smtps.getSmtps().getPort()));
			properties.put("mail.smtps.auth", "true");
			properties.put("mail.smtps.ssl.socketFactory", TestTls.clientSslContext().getSocketFactory());
			properties.put("mail.smtps.ssl.checkserveridentity", "true");
			properties.put("mail.smtps.connectiontimeout", "5000");
			properties.put("mail.smtps.timeout", "5000");
			send(Session.getInstance(properties), "smtps");
			assertThat(smtps.getReceivedMessages()).hasSize(1);
		}
		finally {
			smtps.stop();
		}
	}

	private static Properties smtpProperties(int port) {
		Properties properties = new Properties();
		properties.put("mail.smtp.host", "127.0.0.1");
		properties.put("mail.smtp.port", String.valueOf(port));
		properties.put("mail.smtp.auth", "true");
		properties.put("mail.smtp.starttls.enable", "true");
		properties.put("mail.smtp.starttls.required", "true");
		properties.put("mail.smtp.ssl.checkserveridentity", "true");
		properties.put("mail.smtp.connectiontimeout", "5000");
		properties.put("mail.smtp.timeout", "5000");
		return properties;
	}

	private static void send(Session session, String protocol) throws MessagingException {
		MimeMessage message = new MimeMessage(session);
		message.setFrom(new InternetAddress("sender@localhost"));
		message.setRecipient(Message.RecipientType.TO, new InternetAddress("user@localhost"));
		message.setSubject("Hello");
		message.setText("Sent through TLS");
		try (Transport transport = session.getTransport(protocol)) {
			transport.connect(USER, PASSWORD);
			transport.sendMessage(message, message.getAllRecipients());
		}
	}

}
