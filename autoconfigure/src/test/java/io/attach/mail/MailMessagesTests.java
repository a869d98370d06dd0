package io.attach.mail;

import java.util.Date;

import io.attach.core.InvalidSettingException;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.mail.MailPreparationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link MailMessages}.
 *
 * @author attach
 */
class MailMessagesTests {

	private final JavaMailSenderImpl factory = new JavaMailSenderImpl();

	private final MailMessages messages = new MailMessages(this.factory,
			MailMessages.parseFrom("MAIL_FROM", "App <no-reply@example.com>"));

	@Test
	void whenMessageHasNoSenderDateOrIdThenTheyAreAdded() throws Exception {
		MimeMessage message = this.messages.create();
		message.setRecipient(RecipientType.TO, new InternetAddress("ada@example.com"));
		message.setText("Hello");
		MailMessages.Prepared prepared = this.messages.prepare(message);
		assertThat(prepared.id()).matches("<[0-9a-f-]{36}@example.com>");
		MimeMessage stored = read(prepared);
		assertThat(stored.getMessageID()).isEqualTo(prepared.id());
		assertThat(stored.getFrom()).extracting(Object::toString).containsExactly("App <no-reply@example.com>");
		assertThat(stored.getSentDate()).isNotNull();
		assertThat(stored.getContent()).isEqualTo("Hello");
	}

	@Test
	void whenMessageHasItsOwnSenderDateAndIdThenTheyAreKept() throws Exception {
		MimeMessage message = this.messages.create();
		message.setFrom("ada@lovelace.example");
		Date sent = new Date(1_000_000_000_000L);
		message.setSentDate(sent);
		message.setHeader("Message-ID", "<order-42@shop.example>");
		message.setText("Hello");
		MailMessages.Prepared prepared = this.messages.prepare(message);
		assertThat(prepared.id()).isEqualTo("<order-42@shop.example>");
		MimeMessage stored = read(prepared);
		assertThat(stored.getMessageID()).isEqualTo("<order-42@shop.example>");
		assertThat(stored.getFrom()).extracting(Object::toString).containsExactly("ada@lovelace.example");
		assertThat(stored.getSentDate()).isEqualTo(sent);
	}

	@Test
	void whenMessageHasItsOwnSenderThenTheIdIsInItsDomain() throws Exception {
		MimeMessage message = this.messages.create();
		message.setFrom("ada@lovelace.example");
		message.setText("Hello");
		assertThat(this.messages.prepare(message).id()).matches("<[0-9a-f-]{36}@lovelace.example>");
	}

	@Test
	void whenAMessageHasNoFromAndNoSenderIsConfiguredThenItIsRefusedBeforeItIsQueued() throws Exception {
		MailMessages withoutDefault = new MailMessages(this.factory, null);
		MimeMessage anonymous = withoutDefault.create();
		anonymous.setText("Hello");
		assertThatExceptionOfType(MailPreparationException.class).isThrownBy(() -> withoutDefault.prepare(anonymous))
			.withMessageContaining("no From")
			.withMessageContaining("MAIL_FROM");
	}

	@Test
	void whenThereIsNoSenderDomainThenTheIdIsInAReservedDomain() throws Exception {
		MailMessages withoutDefault = new MailMessages(this.factory, null);
		MimeMessage local = withoutDefault.create();
		local.setFrom(new InternetAddress("postmaster", false));
		local.setText("Hello");
		assertThat(withoutDefault.prepare(local).id()).matches("<[0-9a-f-]{36}@attach.invalid>");
	}

	@Test
	void whenSimpleMessageIsConvertedThenEveryFieldIsKept() throws Exception {
		SimpleMailMessage simple = new SimpleMailMessage();
		simple.setTo("ada@example.com");
		simple.setSubject("Welcome");
		simple.setText("Hello");
		MimeMessage mime = this.messages.toMime(simple);
		assertThat(mime.getRecipients(RecipientType.TO)).extracting(Object::toString)
			.containsExactly("ada@example.com");
		assertThat(mime.getSubject()).isEqualTo("Welcome");
		assertThat(mime.getContent()).isEqualTo("Hello");
	}

	@Test
	void whenSenderSettingIsBlankThenThereIsNoDefaultSender() {
		assertThat(MailMessages.parseFrom("MAIL_FROM", null)).isNull();
		assertThat(MailMessages.parseFrom("MAIL_FROM", "  ")).isNull();
	}

	@Test
	void whenSenderSettingHasANameThenItIsKept() {
		InternetAddress from = MailMessages.parseFrom("MAIL_FROM", "App <no-reply@example.com>");
		assertThat(from).isNotNull();
		assertThat(from.getPersonal()).isEqualTo("App");
		assertThat(from.getAddress()).isEqualTo("no-reply@example.com");
	}

	@Test
	void whenSenderSettingIsNotAnAddressThenTheErrorNamesTheSetting() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> MailMessages.parseFrom("MAIL_FROM", "no-reply@@example.com"))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("MAIL_FROM");
				assertThat(ex.getMessage()).startsWith("MAIL_FROM is 'no-reply@@example.com', not a mail address");
			});
	}

	private static MimeMessage read(MailMessages.Prepared prepared) throws Exception {
		return MailMessages.read(Session.getInstance(new java.util.Properties()), prepared.bytes());
	}

}
