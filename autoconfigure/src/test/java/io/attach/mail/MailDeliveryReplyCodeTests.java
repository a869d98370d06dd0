package io.attach.mail;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for how {@link MailDelivery} reads SMTP reply codes at the edges of their classes: 4xx for now, 5xx for good.
 *
 * @author attach
 */
class MailDeliveryReplyCodeTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			500 5.5.2 Syntax error | SMTP 500
			535                    | SMTP 535
			599 no                 | SMTP 599
			""")
	void whenLoginIsAnsweredWith5xxThenTheCredentialsAreRejectedForGood(String reply, String code) {
		Exception result = MailDelivery.authenticationFailed(new AuthenticationFailedException(reply), "SMTP_URL");
		assertThat(result).isInstanceOfSatisfying(RejectedItemException.class, (rejected) -> {
			assertThat(rejected.isPermanent()).isTrue();
			assertThat(rejected.getMessage())
				.isEqualTo("The mail server rejected the credentials of SMTP_URL (" + code + ")");
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			499 4.7.0 later        | SMTP 499
			Authentication failed  | no reply
			53                     | no reply
			5x5 odd                | no reply
			""")
	void whenLoginFailsWithoutA5xxThenTheServerCountsAsFailed(String reply, String shown) {
		Exception result = MailDelivery.authenticationFailed(new AuthenticationFailedException(reply), "SMTP_URL");
		assertThat(result).isNotInstanceOf(RejectedItemException.class)
			.hasMessage("Logging in to the mail server failed (" + shown + ")");
	}

	@Test
	void whenLoginFailsWithoutAMessageThenTheServerCountsAsFailed() {
		Exception result = MailDelivery.authenticationFailed(new AuthenticationFailedException(), "SMTP_URL");
		assertThat(result).isNotInstanceOf(RejectedItemException.class)
			.hasMessage("Logging in to the mail server failed (no reply)");
	}

	@Test
	void whenTheServerAnswersTheDataWith400ThenTheServerCountsAsFailed() {
		SendFailedException refused = dataRefused(400);
		assertThat(MailDelivery.classify(refused, true)).isSameAs(refused);
	}

	@Test
	void whenTheServerAnswersTheDataWith500ThenTheMailIsRefusedForGood() {
		assertThat(MailDelivery.classify(dataRefused(500), true)).isInstanceOfSatisfying(RejectedItemException.class,
				(rejected) -> assertThat(rejected.isPermanent()).isTrue());
	}

	@Test
	void whenARecipientIsRefusedWith400ThenTheMailIsRetriedOnItsOwn() throws AddressException {
		assertThat(MailDelivery.classify(recipientsRefused(400), true)).isInstanceOfSatisfying(
				RejectedItemException.class, (rejected) -> assertThat(rejected.isPermanent()).isFalse());
	}

	@Test
	void whenARecipientIsRefusedWith500ThenTheMailIsRefusedForGood() throws AddressException {
		assertThat(MailDelivery.classify(recipientsRefused(500), true)).isInstanceOfSatisfying(
				RejectedItemException.class, (rejected) -> {
					assertThat(rejected.isPermanent()).isTrue();
					assertThat(rejected.getMessage()).isEqualTo("The mail server refused the mail: Invalid Addresses");
				});
	}

	@Test
	void whenOneRecipientIsRefusedForGoodAndAnotherForNowThenTheMailIsRetried() throws AddressException {
		assertThat(MailDelivery.classify(recipientsRefused(550, 450), true)).isInstanceOfSatisfying(
				RejectedItemException.class, (rejected) -> assertThat(rejected.isPermanent()).isFalse());
		assertThat(MailDelivery.classify(recipientsRefused(550, 500), true)).isInstanceOfSatisfying(
				RejectedItemException.class, (rejected) -> assertThat(rejected.isPermanent()).isTrue());
	}

	@Test
	void whenARecipientIsRefusedWith400BeforeAnotherForGoodThenTheMailIsRetried() throws AddressException {
		assertThat(MailDelivery.classify(recipientsRefused(400, 550), true)).isInstanceOfSatisfying(
				RejectedItemException.class, (rejected) -> assertThat(rejected.isPermanent()).isFalse());
	}

	@Test
	void whenARecipientIsRefusedWith500BeforeAnotherForNowThenTheMailIsRetried() throws AddressException {
		assertThat(MailDelivery.classify(recipientsRefused(500, 450), true)).isInstanceOfSatisfying(
				RejectedItemException.class, (rejected) -> assertThat(rejected.isPermanent()).isFalse());
	}

	private static SendFailedException dataRefused(int code) {
		return new SMTPSendFailedException("DATA", code, code + " refused", null, new Address[0], new Address[0],
				new Address[0]);
	}

	private static SendFailedException recipientsRefused(int... codes) throws AddressException {
		// As SMTPTransport reports refused recipients: a SendFailedException with one RCPT TO failure per recipient.
		MessagingException next = null;
		Address[] invalid = new Address[codes.length];
		for (int i = codes.length - 1; i >= 0; i--) {
			InternetAddress recipient = new InternetAddress("user" + i + "@example.com");
			invalid[i] = recipient;
			SMTPAddressFailedException failure = new SMTPAddressFailedException(recipient,
					"RCPT TO:<" + recipient.getAddress() + ">", codes[i], codes[i] + " refused");
			if (next != null) {
				failure.setNextException(next);
			}
			next = failure;
		}
		return new SendFailedException("Invalid Addresses", next, new Address[0], new Address[0], invalid);
	}

}
