package io.attach.mail;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Fails startup, naming the setting, when {@code MAIL_BACKEND} is unknown or asks for SMTP without
 * {@code SMTP_URL}: a bean condition would only skip the mail sender silently.
 *
 * @author attach
 */
class MailEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	private static final String MIME_MESSAGE = "jakarta.mail.internet.MimeMessage";

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (ClassUtils.isPresent(MIME_MESSAGE, application.getClassLoader())) {
			MailBackend.resolve(environment);
		}
	}

}
