package io.attach.mail;

import java.util.List;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConsoleMailSender}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsoleMailSenderTests {

	private static final String FORGED = "2030-01-01T00:00:00.000Z  INFO 1 --- [main] Admin logged in";

	private final JavaMailSenderImpl factory = new JavaMailSenderImpl();

	private final ConsoleMailSender sender = new ConsoleMailSender(this.factory,
			new MailMessages(this.factory, null));

	@Test
	void whenAMailHasLineBreaksInWhatAUserTypedThenNoLogLineIsForged(CapturedOutput output) throws Exception {
		MimeMessage message = this.sender.createMimeMessage();
		message.setFrom("no-reply@example.com");
		message.setRecipient(RecipientType.TO, new InternetAddress("eve@example.com", "Eve\r\n" + FORGED));
		message.setHeader("Message-ID", "<welcome\r\n" + FORGED + "@example.com>");
		message.setSubject("Welcome, Eve\r\n" + FORGED);
		message.setText("Welcome, Eve\r\n" + FORGED + "\n" + FORGED + "\r" + FORGED + "\n"
				+ "Confirm: https://example.com/confirm?token=abc");
		this.sender.send(message);
		List<String> lines = mailLines(output);
		assertThat(lines).noneMatch((line) -> line.startsWith(FORGED));
		assertThat(lines.get(0)).contains("<welcome\\r\\n" + FORGED + "@example.com>")
			.endsWith("(not sent: MAIL_BACKEND is console)");
		assertThat(lines.subList(1, lines.size())).isNotEmpty()
			.allMatch((line) -> line.startsWith(ConsoleMailSender.MARGIN));
		assertThat(lines).contains(ConsoleMailSender.MARGIN + "Welcome, Eve", ConsoleMailSender.MARGIN + FORGED,
				ConsoleMailSender.MARGIN + "Confirm: https://example.com/confirm?token=abc");
		assertThat(output.getOut()).doesNotContain("\r" + FORGED);
	}

	@Test
	void whenAMailCarriesTerminalControlCharactersThenTheyAreEscaped(CapturedOutput output) throws Exception {
		MimeMessage message = this.sender.createMimeMessage();
		message.setFrom("no-reply@example.com");
		message.setRecipient(RecipientType.TO, new InternetAddress("ada@example.com"));
		message.setHeader("Message-ID", "<id\u001b[2J\u0007@example.com>");
		message.setText("Hello");
		this.sender.send(message);
		assertThat(output.getOut()).doesNotContain("\u001b").doesNotContain("\u0007").contains("<id\\u001b[2J\\u0007@");
	}

	@Test
	void whenTextIsEscapedThenItStaysOnOneLine() {
		assertThat(ConsoleMailSender.escape("a\r\nb\u0085c\u2028d\te")).isEqualTo("a\\r\\nb\\u0085c\\u2028d\te");
	}

	private static List<String> mailLines(CapturedOutput output) {
		List<String> lines = output.getOut().lines().toList();
		int first = 0;
		while (first < lines.size() && !lines.get(first).contains("Mail <")) {
			first++;
		}
		return lines.subList(first, lines.size());
	}

	@Test
	void whenAMailHasNoRecipientThenTheLogSaysSo(CapturedOutput output) throws Exception {
		MimeMessage message = this.sender.createMimeMessage();
		message.setFrom("no-reply@example.com");
		message.setHeader("Message-ID", "<draft@example.com>");
		message.setText("Hello");
		this.sender.send(message);
		assertThat(output.getOut()).contains("Mail <draft@example.com> to [] (not sent: MAIL_BACKEND is console)");
	}

	@Test
	void whenASimpleMailIsSentThenItIsLoggedWithEveryRecipient(CapturedOutput output) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom("no-reply@example.com");
		message.setTo("ada@example.com", "bob@example.com");
		message.setSubject("Welcome");
		message.setText("Hello");
		this.sender.send(message, message);
		List<String> firsts = output.getOut().lines().filter((line) -> line.contains("Mail <")).toList();
		assertThat(firsts).hasSize(2)
			.allMatch((line) -> line.contains(" to [ada@example.com, bob@example.com] (not sent"));
		assertThat(output.getOut()).contains(ConsoleMailSender.MARGIN + "Subject: Welcome");
	}

	@Test
	void whenRecipientsCannotBeReadThenTheMailIsLoggedAllTheSame(CapturedOutput output) throws Exception {
		MimeMessage message = this.sender.createMimeMessage();
		message.setFrom("no-reply@example.com");
		message.setHeader("Message-ID", "<garbled@example.com>");
		message.setHeader("To", "ada@example.com, <<<");
		message.setText("Hello");
		this.sender.send(message);
		assertThat(output.getOut()).contains("Mail <garbled@example.com> to [unreadable recipients] (not sent")
			.contains(ConsoleMailSender.MARGIN + "Hello");
	}

}
