package io.attach.mail;

import java.io.InputStream;

import jakarta.mail.internet.MimeMessage;

import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * A {@link JavaMailSender} that completes every message (sender, date, {@code Message-ID}) and hands over its MIME
 * bytes instead of talking to a server.
 *
 * @author attach
 */
abstract class PreparingMailSender implements JavaMailSender {

	private final JavaMailSender factory;

	private final MailMessages messages;

	PreparingMailSender(JavaMailSender factory, MailMessages messages) {
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
		// All prepared before any is taken: a batch with one mail that cannot be sent is refused whole.
		MailMessages.Prepared[] prepared = new MailMessages.Prepared[mimeMessages.length];
		for (int i = 0; i < mimeMessages.length; i++) {
			prepared[i] = this.messages.prepare(mimeMessages[i]);
		}
		for (int i = 0; i < mimeMessages.length; i++) {
			accept(mimeMessages[i], prepared[i]);
		}
	}

	@Override
	public void send(SimpleMailMessage... simpleMessages) throws MailException {
		MimeMessage[] mimeMessages = new MimeMessage[simpleMessages.length];
		for (int i = 0; i < simpleMessages.length; i++) {
			mimeMessages[i] = this.messages.toMime(simpleMessages[i]);
		}
		send(mimeMessages);
	}

	/**
	 * Takes one completed message.
	 * @param message the message
	 * @param prepared its {@code Message-ID} and MIME bytes
	 * @throws MailException if the message cannot be taken
	 */
	abstract void accept(MimeMessage message, MailMessages.Prepared prepared) throws MailException;

}
