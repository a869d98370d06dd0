package io.attach.mail;

import java.io.InputStream;

import io.attach.outbox.Outbox;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * A {@link JavaMailSender} that never loses a mail to an SMTP outage: {@code send} stores the message in the
 * {@link Outbox}, in the caller's transaction where there is one, and returns; the relay delivers it.
 * <p>
 * {@code send} throws only when the mail cannot be stored, so a returned call means the mail is safe.
 *
 * @author attach
 */
public final class OutboxMailSender implements JavaMailSender {

	private final JavaMailSender smtp;

	private final MailMessages messages;

	private final Outbox outbox;

	OutboxMailSender(JavaMailSender smtp, MailMessages messages, Outbox outbox) {
		this.smtp = smtp;
		this.messages = messages;
		this.outbox = outbox;
	}

	@Override
	public MimeMessage createMimeMessage() {
		return this.messages.create();
	}

	@Override
	public MimeMessage createMimeMessage(InputStream contentStream) throws MailException {
		return this.smtp.createMimeMessage(contentStream);
	}

	@Override
	public void send(MimeMessage... mimeMessages) throws MailException {
		for (MimeMessage message : mimeMessages) {
			MailMessages.Prepared prepared = this.messages.prepare(message);
			try {
				this.outbox.enqueue(prepared.id(), prepared.bytes());
			}
			catch (RuntimeException ex) {
				throw new MailSendException("Could not queue the mail " + prepared.id() + " for delivery", ex);
			}
		}
	}

	@Override
	public void send(SimpleMailMessage... simpleMessages) throws MailException {
		for (SimpleMailMessage simpleMessage : simpleMessages) {
			send(this.messages.toMime(simpleMessage));
		}
	}

	/**
	 * Returns the outbox the mail waits in.
	 * @return the outbox
	 */
	public Outbox getOutbox() {
		return this.outbox;
	}

}
