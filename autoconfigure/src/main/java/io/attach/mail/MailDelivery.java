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
import org.jspecify.annotations.Nullable;

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
			throw authenticationFailed(ex, this.setting);
		}
		catch (MessagingException ex) {
			throw connectFailed(ex, this.sender, this.setting);
		}
		return new SmtpConnection(session, transport);
	}

	/**
	 * Says why a connection failed when the server offers no STARTTLS where it is required, which Angus Mail tells
	 * only in words, before it sends any credentials; the mail stays queued, since a man in the middle who strips
	 * STARTTLS may be gone on the next try.
	 * @param ex the failure
	 * @param sender the sender that connected
	 * @param setting the variable the server came from
	 * @return the explained failure, else {@code ex}
	 */
	static MessagingException connectFailed(MessagingException ex, JavaMailSenderImpl sender, String setting) {
		String message = ex.getMessage();
		if (message == null || !message.contains("does not support STARTTLS")) {
			return ex;
		}
		String server = "The mail server " + sender.getHost() + ":" + sender.getPort() + " of " + setting;
		String reason = (sender.getUsername() != null)
				? " does not offer STARTTLS; credentials are never sent in clear text."
				: " does not offer STARTTLS, which starttls=required asks for.";
		return new MessagingException(server + reason + " Use its STARTTLS or smtps:// port; if it offered STARTTLS"
				+ " before, something on the path may be removing the offer.", ex);
	}

	/**
	 * Tells rejected credentials (a {@code 5xx} answer to the login) from a login that failed for other reasons,
	 * which Angus Mail reports the same way: a timeout, a dropped connection, a {@code 454} "try again later".
	 * @param ex the failure
	 * @param setting the variable the credentials came from
	 * @return a permanent rejection for {@code 5xx}, else a failure of the service
	 */
	static Exception authenticationFailed(AuthenticationFailedException ex, String setting) {
		int code = leadingCode(ex.getMessage());
		// The server's own words are left out: a login reply could echo what the client sent.
		String reply = (code > 0) ? "SMTP " + code : "no reply";
		if (code >= 500 && ex.getCause() == null && ex.getNextException() == null) {
			return new RejectedItemException("The mail server rejected the credentials of " + setting + " (" + reply
					+ ")", true, new AuthenticationFailedException(reply));
		}
		MessagingException failure = new MessagingException("Logging in to the mail server failed (" + reply + ")");
		if (ex.getNextException() != null) {
			failure.setNextException(ex.getNextException());
		}
		return failure;
	}

	private static int leadingCode(@Nullable String reply) {
		if (reply == null || reply.length() < 3 || !reply.substring(0, 3).chars().allMatch(Character::isDigit)) {
			return 0;
		}
		return Integer.parseInt(reply.substring(0, 3));
	}

	/**
	 * Tells a mail the server refused from a server that failed while taking it.
	 * @param ex what sending the mail threw
	 * @param connected whether the connection is still up
	 * @return a {@link RejectedItemException} for a refused mail, else {@code ex}: the service failed
	 */
	static Exception classify(SendFailedException ex, boolean connected) {
		int code = replyCode(ex);
		if (!connected || (code == 0 && ex.getCause() != null)) {
			// The connection broke: a failed server, not a refused mail.
			return ex;
		}
		if (code >= 400 && code < 500 && !refusedRecipient(ex)) {
			// A 4xx to MAIL FROM or DATA, such as throttling, is about the server, not this mail: back off.
			return ex;
		}
		return rejected(ex);
	}

	private static RejectedItemException rejected(SendFailedException ex) {
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

	private static boolean refusedRecipient(MessagingException ex) {
		for (Exception current = ex; current != null; current = (current instanceof MessagingException messaging)
				? messaging.getNextException() : null) {
			// Angus Mail's class for a refused RCPT TO, outside the Jakarta Mail API.
			if (current.getClass().getSimpleName().equals("SMTPAddressFailedException")) {
				return true;
			}
		}
		return false;
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
			Address[] recipients;
			try {
				recipients = message.getAllRecipients();
			}
			catch (MessagingException ex) {
				throw new RejectedItemException("The mail's recipients cannot be read: " + ex.getMessage(), true, ex);
			}
			if (recipients == null || recipients.length == 0) {
				throw new RejectedItemException("The mail has no recipient", true, new MessagingException(item.id()));
			}
			try {
				this.transport.sendMessage(message, recipients);
			}
			catch (SendFailedException ex) {
				throw classify(ex, this.transport.isConnected());
			}
		}

		@Override
		public void close() throws MessagingException {
			this.transport.close();
		}

	}

}
