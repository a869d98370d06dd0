package io.attach.sample.users;

import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.stereotype.Component;

/**
 * The mail a new user gets, sent through whatever {@link MailSender} the environment attaches.
 *
 * @author attach
 */
@Component
class WelcomeMail {

	private final MailSender mailSender;

	WelcomeMail(MailSender mailSender) {
		this.mailSender = mailSender;
	}

	void send(User user) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setTo(user.email());
		message.setSubject("Welcome, " + user.name());
		message.setText("Hello " + user.name() + ",\n\nyour account " + user.id() + " is ready.\n");
		// From comes from MAIL_FROM; with SMTP_URL the mail is queued in the caller's transaction, not sent here.
		this.mailSender.send(message);
	}

}
