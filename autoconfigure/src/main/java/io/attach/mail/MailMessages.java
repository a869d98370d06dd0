package io.attach.mail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Date;
import java.util.UUID;

import io.attach.core.InvalidSettingException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.mail.MailPreparationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMailMessage;

/**
 * Turns the messages an application hands to a {@link JavaMailSender} into the stored form: a default sender, a
 * sent date and a stable {@code Message-ID}, written out as MIME bytes.
 *
 * @author attach
 */
final class MailMessages {

	private static final String MESSAGE_ID = "Message-ID";

	private final JavaMailSender factory;

	private final @Nullable InternetAddress defaultFrom;

	MailMessages(JavaMailSender factory, @Nullable InternetAddress defaultFrom) {
		this.factory = factory;
		this.defaultFrom = defaultFrom;
	}

	MimeMessage create() {
		return this.factory.createMimeMessage();
	}

	MimeMessage toMime(SimpleMailMessage simpleMessage) {
		MimeMailMessage message = new MimeMailMessage(create());
		simpleMessage.copyTo(message);
		return message.getMimeMessage();
	}

	/**
	 * Completes a message and writes it out.
	 * @param message the message
	 * @return the message's id and bytes
	 */
	Prepared prepare(MimeMessage message) {
		try {
			if (message.getFrom() == null && this.defaultFrom != null) {
				message.setFrom(this.defaultFrom);
			}
			if (message.getFrom() == null || message.getFrom().length == 0) {
				// JavaMail would send it from user@localhost with no From header, which providers drop as spam.
				throw new MailPreparationException("The mail has no From and no sender is configured: set its From, "
						+ "or MAIL_FROM (attach.mail.from) to the address mail comes from, such as "
						+ "'App <no-reply@example.com>'");
			}
			if (message.getSentDate() == null) {
				message.setSentDate(new Date());
			}
			String id = message.getMessageID();
			if (id == null) {
				id = "<" + UUID.randomUUID() + "@" + domain(message) + ">";
			}
			// saveChanges() would replace the Message-ID: the id must stay what receivers deduplicate by.
			message.saveChanges();
			message.setHeader(MESSAGE_ID, id);
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			message.writeTo(bytes);
			return new Prepared(id, bytes.toByteArray());
		}
		catch (MessagingException | IOException ex) {
			throw new MailPreparationException("Could not prepare the mail for the outbox", ex);
		}
	}

	static MimeMessage read(Session session, byte[] bytes) throws MessagingException {
		return new MimeMessage(session, new ByteArrayInputStream(bytes));
	}

	static @Nullable InternetAddress parseFrom(String setting, @Nullable String from) {
		if (from == null || from.isBlank()) {
			return null;
		}
		try {
			return new InternetAddress(from, true);
		}
		catch (MessagingException ex) {
			throw new InvalidSettingException(setting, "is '" + from + "', not a mail address",
					"Use an address such as no-reply@example.com or 'App <no-reply@example.com>'.");
		}
	}

	private static String domain(MimeMessage message) throws MessagingException {
		if (message.getFrom() != null && message.getFrom().length > 0
				&& message.getFrom()[0] instanceof InternetAddress from) {
			int at = from.getAddress().lastIndexOf('@');
			if (at > 0 && at < from.getAddress().length() - 1) {
				return from.getAddress().substring(at + 1);
			}
		}
		return "attach.invalid";
	}

	/**
	 * A message ready to store.
	 *
	 * @param id the {@code Message-ID}, with its angle brackets
	 * @param bytes the whole message, headers included
	 */
	record Prepared(String id, byte[] bytes) {

	}

}
