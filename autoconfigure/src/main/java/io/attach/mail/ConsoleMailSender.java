package io.attach.mail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * A {@link JavaMailSender} that writes each mail to the log instead of sending it: the development default when no
 * mail server is configured, so that sign-up flows work and their links can be read.
 *
 * @author attach
 */
public final class ConsoleMailSender implements JavaMailSender {

	private static final Log logger = LogFactory.getLog(ConsoleMailSender.class);

	private final JavaMailSender factory;

	private final MailMessages messages;

	ConsoleMailSender(JavaMailSender factory, MailMessages messages) {
		this.factory = factory;
		this.messages = messages;
	}

	@Override
	public MimeMessage createMimeMessage() {
		return this.messages.create();
	}

	@Override
	public MimeMessage createMimeMessage(InputStream contentStream) throws MailException {
		return this.factory.createMimeMessage(contentStream);
	}

	@Override
	public void send(MimeMessage... mimeMessages) throws MailException {
		for (MimeMessage message : mimeMessages) {
			MailMessages.Prepared prepared = this.messages.prepare(message);
			logger.info("Mail " + prepared.id() + " to " + recipients(message)
					+ " (not sent: MAIL_BACKEND is console)\n" + new String(prepared.bytes(), StandardCharsets.UTF_8));
		}
	}

	@Override
	public void send(SimpleMailMessage... simpleMessages) throws MailException {
		for (SimpleMailMessage simpleMessage : simpleMessages) {
			send(this.messages.toMime(simpleMessage));
		}
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
