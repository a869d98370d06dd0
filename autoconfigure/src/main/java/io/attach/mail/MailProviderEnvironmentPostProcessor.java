package io.attach.mail;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceDeclaration;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Attaches mail from a provider's key alone, as the source texts' {@code MAIL_BACKEND=sendgrid} with
 * {@code SENDGRID_API_KEY} does: when no {@code SMTP_URL} is set, {@code MAIL_BACKEND=sendgrid} (or {@code postmark})
 * gives {@code attach.resources.mail.url} the provider's SMTP relay with the key as its credentials and STARTTLS
 * required, at the lowest precedence, so that core needs to know nothing of it.
 *
 * @author attach
 */
class MailProviderEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source that holds the URL made from a provider's key. */
	static final String SOURCE = "attachMailProvider";

	private static final Map<String, Provider> PROVIDERS = Map.of("sendgrid",
			new Provider("SENDGRID_API_KEY", "SG.…", "smtp.sendgrid.net", "apikey"), "postmark",
			new Provider("POSTMARK_SERVER_TOKEN", "a server token", "smtp.postmarkapp.com", null));

	@Override
	public int getOrder() {
		// Before attach's own post-processor, which resolves the backend; after config data, as it is.
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ResourceKind kind = ResourceKinds.named(application.getClassLoader(), MailAttachAutoConfiguration.RESOURCE)
			.orElse(null);
		// As attach's own post-processor: without JavaMail (an application on a provider's HTTP API), nothing here.
		if (kind == null || !kind.libraryClass()
			.map((name) -> ClassUtils.isPresent(name, application.getClassLoader()))
			.orElse(true)) {
			return;
		}
		String variable = kind.backendVariable().orElse(null);
		if (variable == null || StringUtils.hasText(environment.getProperty(kind.backendProperty()))) {
			return;
		}
		String chosen = environment.getProperty(variable);
		if (!StringUtils.hasText(chosen)) {
			return;
		}
		Provider provider = PROVIDERS.get(chosen.trim().toLowerCase(Locale.ROOT));
		if (provider == null) {
			return;
		}
		ResourceDeclaration declaration = ResourceDeclaration.of(environment, kind);
		if (!declaration.enabled()) {
			// Mail is turned off: the backend setting is attach's own to refuse, naming what the user wrote.
			return;
		}
		Map<String, Object> source = new LinkedHashMap<>();
		// The property wins over the variable: the backend is SMTP, to the provider's relay or to SMTP_URL if set.
		source.put(kind.backendProperty(), MailResourceKind.SMTP);
		if (declaration.url() != null) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE, source));
			return;
		}
		String key = environment.getProperty(provider.keyVariable());
		if (!StringUtils.hasText(key)) {
			throw new InvalidSettingException(variable, "is '" + chosen.trim() + "' but " + provider.keyVariable()
					+ " is not set", "Set " + provider.keyVariable() + " to " + provider.keyExample() + ", or set "
							+ kind.variables().get(0) + " to the provider's SMTP URL.");
		}
		// Whatever the key holds stays one user-info component.
		String secret = URLEncoder.encode(key.trim(), StandardCharsets.UTF_8).replace("+", "%20");
		String user = (provider.user() != null) ? provider.user() : secret;
		source.put(kind.urlProperty(), "smtp://" + user + ":" + secret + "@" + provider.host() + ":587?starttls=required");
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE, source));
	}

	/**
	 * A provider whose SMTP relay takes its API key as the password.
	 *
	 * @param keyVariable the variable that holds the key
	 * @param keyExample what the key looks like, for errors
	 * @param host the SMTP relay
	 * @param user the SMTP user name, or {@code null} when it is the key too
	 */
	private record Provider(String keyVariable, String keyExample, String host, @Nullable String user) {

	}

}
