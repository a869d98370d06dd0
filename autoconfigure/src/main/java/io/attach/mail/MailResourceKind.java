package io.attach.mail;

import io.attach.core.ResourceKind;

/**
 * The {@code mail} resource: a mail server reached over SMTP, from {@code SMTP_URL}, with implicit TLS for
 * {@code smtps}. A lone user-info token is refused, and masked in case it was an API key. {@code MAIL_BACKEND}
 * chooses between sending mail and logging it.
 *
 * @author attach
 */
final class MailResourceKind extends ResourceKind {

	static final String SMTP = "smtp";

	static final String CONSOLE = "console";

	MailResourceKind() {
		super(define("smtp", MailAttachAutoConfiguration.RESOURCE).variables("SMTP_URL")
			.schemes(SmtpUrl.SCHEMES)
			.guarded()
			.replacesBootCheck("mail")
			// With only these set and no MAIL_BACKEND, Boot's own sender works as before.
			.bootProperties("spring.mail.host", "spring.mail.jndi-name")
			.backends("MAIL_BACKEND", Backend.attached(SMTP, "send mail to SMTP_URL", SmtpUrl.SCHEMES),
					Backend.local(CONSOLE, "log mail instead of sending it"))
			.exampleUrl("smtp://apikey:secret@smtp.example.com:587")
			.library("jakarta.mail.internet.MimeMessage")
			.failures("jakarta.mail.MessagingException", "org.springframework.mail.MailException"));
	}

}
