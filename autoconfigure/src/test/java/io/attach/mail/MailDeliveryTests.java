package io.attach.mail;

import java.io.IOException;
import java.net.SocketTimeoutException;

import io.attach.outbox.RejectedItemException;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link MailDelivery} reads the exceptions Angus Mail throws: which refuse a mail for good, which
 * for now, and which mean the server failed. Built as Angus Mail builds them, since GreenMail never answers with
 * most of these codes.
 *
 * @author attach
 */
class MailDeliveryTests {

	@Test
	void whenCredentialsAreRejectedWith5xxThenTheMailIsParkedWithoutTheServersWords() {
		Exception result = MailDelivery.authenticationFailed(
				new AuthenticationFailedException("535 5.7.8 AUTH PLAIN c2VjcmV0 rejected"), "SMTP_URL");
		assertThat(result).isInstanceOfSatisfying(RejectedItemException.class, (rejected) -> {
			assertThat(rejected.isPermanent()).isTrue();
			assertThat(rejected.getMessage()).isEqualTo("The mail server rejected the credentials of SMTP_URL (SMTP 535)");
			assertThat(rejected.getCause().getMessage()).doesNotContain("c2VjcmV0");
		});
	}

	@Test
	void whenLoginIsRefusedForNowThenTheServerCountsAsFailed() {
		Exception result = MailDelivery
			.authenticationFailed(new AuthenticationFailedException("454 4.7.0 Too many login attempts"), "SMTP_URL");
		assertThat(result).isNotInstanceOf(RejectedItemException.class).hasMessageContaining("SMTP 454");
	}

	@Test
	void whenLoginTimesOutThenTheServerCountsAsFailed() {
		AuthenticationFailedException timeout = new AuthenticationFailedException("535 incomplete",
				new SocketTimeoutException("Read timed out"));
		Exception result = MailDelivery.authenticationFailed(timeout, "SMTP_URL");
		assertThat(result).isNotInstanceOf(RejectedItemException.class);
		assertThat(((MessagingException) result).getNextException()).isInstanceOf(SocketTimeoutException.class);
	}

	@Test
	void whenStartTlsIsNotOfferedToASenderWithCredentialsThenTheFailureSaysTheyWereNotSent() {
		JavaMailSenderImpl sender = sender("app", "canary");
		MessagingException angus = new MessagingException("STARTTLS is required but host does not support STARTTLS");
		MessagingException result = MailDelivery.connectFailed(angus, sender, "SMTP_URL");
		assertThat(result).isNotInstanceOf(RejectedItemException.class)
			.hasMessageStartingWith("The mail server mail.internal:587 of SMTP_URL does not offer STARTTLS;"
					+ " credentials are never sent in clear text.")
			.hasMessageNotContaining("canary");
		assertThat(result.getNextException()).isSameAs(angus);
	}

	@Test
	void whenStartTlsIsNotOfferedToASenderThatRequiresItThenTheFailureSaysSo() {
		MessagingException result = MailDelivery.connectFailed(
				new MessagingException("STARTTLS is required but host does not support STARTTLS"), sender(null, null),
				"SMTP_URL");
		assertThat(result).hasMessageContaining("does not offer STARTTLS, which starttls=required asks for");
	}

	@Test
	void whenConnectingFailsForAnotherReasonThenTheFailureIsKept() {
		MessagingException refused = new MessagingException("Couldn't connect to host");
		assertThat(MailDelivery.connectFailed(refused, sender("app", "canary"), "SMTP_URL")).isSameAs(refused);
	}

	@Test
	void whenRecipientIsUnknownThenTheMailIsRefusedForGood() throws AddressException {
		Exception result = MailDelivery.classify(invalidAddresses(550, "550 5.1.1 no such user"), true);
		assertThat(result).isInstanceOfSatisfying(RejectedItemException.class,
				(rejected) -> assertThat(rejected.isPermanent()).isTrue());
	}

	@Test
	void whenRecipientIsRefusedForNowThenTheMailIsRetriedOnItsOwn() throws AddressException {
		Exception result = MailDelivery.classify(invalidAddresses(450, "450 4.2.1 mailbox busy"), true);
		assertThat(result).isInstanceOfSatisfying(RejectedItemException.class,
				(rejected) -> assertThat(rejected.isPermanent()).isFalse());
	}

	@Test
	void whenTheServerThrottlesTheDataThenTheServerCountsAsFailed() {
		SendFailedException throttled = new SMTPSendFailedException("DATA", 451, "451 4.3.0 throttled", null,
				new Address[0], new Address[0], new Address[0]);
		assertThat(MailDelivery.classify(throttled, true)).isSameAs(throttled);
	}

	@Test
	void whenTheServerRefusesTheMessageForGoodThenItIsParked() {
		SendFailedException refused = new SMTPSendFailedException("DATA", 554, "554 5.6.0 message refused", null,
				new Address[0], new Address[0], new Address[0]);
		assertThat(MailDelivery.classify(refused, true)).isInstanceOfSatisfying(RejectedItemException.class,
				(rejected) -> assertThat(rejected.isPermanent()).isTrue());
	}

	@Test
	void whenTheConnectionBrokeThenTheServerCountsAsFailed() throws AddressException {
		SendFailedException refused = invalidAddresses(550, "550 5.1.1 no such user");
		assertThat(MailDelivery.classify(refused, false)).isSameAs(refused);
		SendFailedException broken = new SendFailedException("Can't send", new IOException("Connection reset"));
		assertThat(MailDelivery.classify(broken, true)).isSameAs(broken);
	}

	private static JavaMailSenderImpl sender(String username, String password) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("mail.internal");
		sender.setPort(587);
		sender.setUsername(username);
		sender.setPassword(password);
		return sender;
	}

	private static SendFailedException invalidAddresses(int code, String reply) throws AddressException {
		InternetAddress recipient = new InternetAddress("ada@example.com");
		// As SMTPTransport reports refused recipients: a SendFailedException with the RCPT TO failure chained.
		return new SendFailedException("Invalid Addresses",
				new SMTPAddressFailedException(recipient, "RCPT TO:<ada@example.com>", code, reply),
				new Address[0], new Address[0], new Address[] { recipient });
	}

}
