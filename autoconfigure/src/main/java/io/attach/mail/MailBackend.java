package io.attach.mail;

import java.util.Locale;

import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceDeclaration;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Where the application's mail goes.
 *
 * @author attach
 */
public enum MailBackend {

	/**
	 * Sent to the server of {@code SMTP_URL}, through the durable outbox.
	 */
	SMTP,

	/**
	 * Written to the log and not sent: the default in development, when no mail server is configured.
	 */
	CONSOLE;

	static final String VARIABLE = "MAIL_BACKEND";

	static final String PROPERTY = "attach.mail.backend";

	/**
	 * Decides the backend from {@code attach.mail.backend} or {@code MAIL_BACKEND}, else from what is attached.
	 * @param environment the environment
	 * @return the backend, or {@code null} when the user configured a mail server with {@code spring.mail.*}
	 * @throws InvalidSettingException if the setting is unknown, or asks for SMTP without {@code SMTP_URL}
	 */
	static @Nullable MailBackend resolve(Environment environment) {
		String setting = PROPERTY;
		String value = environment.getProperty(PROPERTY);
		if (!StringUtils.hasText(value)) {
			setting = VARIABLE;
			value = environment.getProperty(VARIABLE);
		}
		ResourceDeclaration mail = ResourceDeclaration.of(environment, "mail");
		if (StringUtils.hasText(value)) {
			MailBackend backend = parse(setting, value.trim());
			if (backend == SMTP && !mail.isAttached()) {
				throw new InvalidSettingException(setting, "is 'smtp' but " + mail.settings() + " is not set",
						"Set SMTP_URL, such as smtp://apikey:secret@smtp.example.com:587, or set " + setting
								+ "=console to log mail instead of sending it.");
			}
			return backend;
		}
		if (mail.isAttached()) {
			return SMTP;
		}
		boolean springMail = environment.containsProperty("spring.mail.host")
				|| environment.containsProperty("spring.mail.jndi-name");
		return springMail ? null : CONSOLE;
	}

	private static MailBackend parse(String setting, String value) {
		try {
			return valueOf(value.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException(setting, "is '" + value + "', which is not a mail backend",
					"Use 'smtp' to send mail to SMTP_URL or 'console' to log it.");
		}
	}

}
