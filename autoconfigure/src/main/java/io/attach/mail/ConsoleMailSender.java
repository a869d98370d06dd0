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
 *
 * @author attach
 */
public final class ConsoleMailSender extends PreparingMailSender {

	private static final Log logger = LogFactory.getLog(ConsoleMailSender.class);

	ConsoleMailSender(JavaMailSender factory, MailMessages messages) {
		super(factory, messages);
	}

	@Override
	void accept(MimeMessage message, MailMessages.Prepared prepared) {
		logger.info("Mail " + prepared.id() + " to " + recipients(message) + " (not sent: MAIL_BACKEND is console)\n"
				+ new String(prepared.bytes(), StandardCharsets.UTF_8));
	}

	private static String recipients(MimeMessage message) {
		try {
			return (message.getAllRecipients() != null) ? Arrays.toString(message.getAllRecipients()) : "[]";
		}
		catch (MessagingException ex) {
			return "[unreadable recipients]";
		}
	}

}
