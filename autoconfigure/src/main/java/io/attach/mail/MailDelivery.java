package io.attach.mail;

import java.lang.reflect.Method;

import io.attach.outbox.OutboxDelivery;
import io.attach.outbox.OutboxItem;
import io.attach.outbox.RejectedItemException;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Delivers queued mails over one SMTP connection per relay round, telling refused mails (an SMTP {@code 4xx} or
 * {@code 5xx} answer, rejected credentials) from a failed server (no connection, no answer).
 *
 * @author attach
 */
final class MailDelivery implements OutboxDelivery {

	private final JavaMailSenderImpl sender;

	private final String setting;

	MailDelivery(JavaMailSenderImpl sender, String setting) {
		this.sender = sender;
		this.setting = setting;
	}

	@Override
	public Connection connect() throws Exception {
		Session session = this.sender.getSession();
		Transport transport = session.getTransport(this.sender.getProtocol());
		try {
			transport.connect(this.sender.getHost(), this.sender.getPort(), this.sender.getUsername(),
					this.sender.getPassword());
		}
		catch (AuthenticationFailedException ex) {
			throw new RejectedItemException("The mail server rejected the credentials of " + this.setting + ": "
					+ ex.getMessage(), true, ex);
		}
		return new SmtpConnection(session, transport);
	}

	static RejectedItemException rejected(SendFailedException ex) {
		int code = replyCode(ex);
		boolean permanent = code < 400 || code >= 500;
		return new RejectedItemException("The mail server refused the mail: " + ex.getMessage(), permanent, ex);
	}

	private static int replyCode(MessagingException ex) {
		int worst = 0;
		for (Exception current = ex; current != null; current = (current instanceof MessagingException messaging)
				? messaging.getNextException() : null) {
			int code = returnCode(current);
			// One recipient refused for now makes the whole mail worth another try.
			if (code >= 400 && code < 500) {
				return code;
			}
			worst = Math.max(worst, code);
		}
		return worst;
	}

	private static int returnCode(Exception ex) {
		// Angus Mail's SMTP exceptions carry the server's reply code; they are not part of the Jakarta Mail API.
		try {
			Method method = ex.getClass().getMethod("getReturnCode");
			return (method.invoke(ex) instanceof Integer code) ? code : 0;
		}
		catch (ReflectiveOperationException ignored) {
			return 0;
		}
	}

	private static final class SmtpConnection implements Connection {

		private final Session session;

		private final Transport transport;

		SmtpConnection(Session session, Transport transport) {
			this.session = session;
			this.transport = transport;
		}

		@Override
		public void deliver(OutboxItem item) throws Exception {
			MimeMessage message;
			try {
				message = MailMessages.read(this.session, item.payload());
			}
			catch (MessagingException ex) {
				throw new RejectedItemException("The queued mail cannot be read: " + ex.getMessage(), true, ex);
			}
			Address[] recipients = message.getAllRecipients();
			if (recipients == null || recipients.length == 0) {
				throw new RejectedItemException("The mail has no recipient", true, new MessagingException(item.id()));
			}
			try {
				this.transport.sendMessage(message, recipients);
			}
			catch (SendFailedException ex) {
				if (!this.transport.isConnected() || (replyCode(ex) == 0 && ex.getCause() != null)) {
					// The connection broke: a failed server, not a refused mail.
					throw ex;
				}
				throw rejected(ex);
			}
		}

		@Override
		public void close() throws MessagingException {
			this.transport.close();
		}

	}

}
