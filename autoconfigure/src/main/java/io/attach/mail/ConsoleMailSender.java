package io.attach.mail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.mail.javamail.JavaMailSender;

/**
 * A {@link JavaMailSender} that writes each mail to the log instead of sending it: the development default when no
 * mail server is configured, so that sign-up flows work and their links can be read.
 * <p>
 * Each mail is one log record: a first line about it, then one line per line of its MIME text behind a margin,
 * with control characters escaped, so that nothing a user typed (a name, a subject) can start a log line of its own.
 *
 * @author attach
 */
public final class ConsoleMailSender extends PreparingMailSender {

	private static final Log logger = LogFactory.getLog(ConsoleMailSender.class);

	static final String MARGIN = "    | ";

	ConsoleMailSender(JavaMailSender factory, MailMessages messages) {
		super(factory, messages);
	}

	@Override
	void accept(MimeMessage message, MailMessages.Prepared prepared) {
		StringBuilder record = new StringBuilder("Mail ").append(escape(prepared.id()))
			.append(" to ")
			.append(escape(recipients(message)))
			.append(" (not sent: MAIL_BACKEND is console)");
		// A body keeps the line ends the application wrote, often a bare LF: each kind starts a line behind the margin.
		for (String line : new String(prepared.bytes(), StandardCharsets.UTF_8).split("\r\n|\r|\n")) {
			record.append('\n').append(MARGIN).append(escape(line));
		}
		logger.info(record);
	}

	private static String recipients(MimeMessage message) {
		try {
			return (message.getAllRecipients() != null) ? Arrays.toString(message.getAllRecipients()) : "[]";
		}
		catch (MessagingException ex) {
			return "[unreadable recipients]";
		}
	}

	/**
	 * Escapes line breaks and other control characters, tab aside, as {@code \r}, {@code \n} or a Unicode escape.
	 * @param text the text to log
	 * @return the text on one line, with no terminal control sequence
	 */
	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\r') {
				escaped.append("\\r");
			}
			else if (c == '\n') {
				escaped.append("\\n");
			}
			else if ((Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029') {
				// U+2028 and U+2029 break lines in some log viewers too.
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
