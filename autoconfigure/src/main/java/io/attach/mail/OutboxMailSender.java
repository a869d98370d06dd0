package io.attach.mail;

import io.attach.outbox.Outbox;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * A {@link JavaMailSender} that never loses a mail to an SMTP outage: {@code send} stores the message in the
 * {@link Outbox}, in the caller's transaction where there is one, and returns; the relay delivers it.
 * <p>
 * {@code send} throws only when the mail cannot be stored, so a returned call means the mail is safe.
 *
 * @author attach
 */
public final class OutboxMailSender extends PreparingMailSender {

	private final Outbox outbox;

	OutboxMailSender(JavaMailSender smtp, MailMessages messages, Outbox outbox) {
		super(smtp, messages);
		this.outbox = outbox;
	}

	@Override
	void accept(MimeMessage message, MailMessages.Prepared prepared) {
		try {
			this.outbox.enqueue(prepared.id(), prepared.bytes());
		}
		catch (RuntimeException ex) {
			throw new MailSendException("Could not queue the mail " + prepared.id() + " for delivery", ex);
		}
	}

}
