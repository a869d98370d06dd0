package io.attach.mail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.attach.core.InvalidSettingException;
import io.attach.core.Timeouts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.util.StringUtils;

/**
 * Configures a {@link JavaMailSenderImpl} from an {@link SmtpUrl}: finite timeouts, STARTTLS when offered (required
 * with credentials), certificates and host names verified; {@code spring.mail.properties.*},
 * {@code default-encoding} and {@code spring.mail.ssl.bundle} still apply, as long as they neither relax TLS that
 * the URL requires nor make a timeout infinite.
 *
 * @author attach
 */
final class SmtpUrlMailSenderFactory {

	private static final Log logger = LogFactory.getLog(SmtpUrlMailSenderFactory.class);

	private static final String PROPERTIES = "spring.mail.properties.";

	private static final List<String> TIMEOUTS = List.of("connectiontimeout", "timeout", "writetimeout");

	private SmtpUrlMailSenderFactory() {
	}

	/**
	 * Creates the sender.
	 * @param url the parsed URL
	 * @param setting the variable the URL came from, named in warnings and errors
	 * @param properties attach's mail properties
	 * @param mail Boot's mail properties
	 * @param sslBundles the SSL bundles, if any
	 * @return the sender
	 * @throws InvalidSettingException if a JavaMail property relaxes required TLS or sets an infinite timeout
	 */
	static JavaMailSenderImpl create(SmtpUrl url, String setting, AttachMailProperties properties,
			MailProperties mail, @Nullable SslBundles sslBundles) {
		if (url.clearTextCredentialsAllowed()) {
			logger.warn(setting + " has starttls=optional: its credentials are sent in clear text to a server that"
					+ " does not offer STARTTLS, and anyone on the path can remove that offer. Remove starttls=optional"
					+ " to require TLS, or use smtps://.");
		}
		if (!url.verifyPeer()) {
			logger.warn(setting + " turns off certificate verification (ssl_cert_reqs=none or verifyPeer=false):"
					+ " anyone on the path can pose as the mail server" + ((url.username() != null)
							? " and read the credentials" : "")
					+ ". Remove it and trust the server's certificate authority with spring.mail.ssl.bundle.");
		}
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setProtocol(url.protocol());
		sender.setHost(url.host());
		sender.setPort(url.port());
		sender.setUsername(url.username());
		sender.setPassword(url.password());
		sender.setDefaultEncoding(mail.getDefaultEncoding().name());
		sender.setJavaMailProperties(javaMailProperties(url, setting, properties, mail, sslBundles));
		return sender;
	}

	private static Properties javaMailProperties(SmtpUrl url, String setting, AttachMailProperties properties,
			MailProperties mail, @Nullable SslBundles sslBundles) {
		String prefix = "mail." + url.protocol() + ".";
		Properties javaMail = new Properties();
		// JavaMail waits forever by default, on connect, on every answer and on every write.
		javaMail.setProperty(prefix + "connectiontimeout", millis(properties.getConnectTimeout()));
		javaMail.setProperty(prefix + "timeout", millis(properties.getReadTimeout()));
		javaMail.setProperty(prefix + "writetimeout", millis(properties.getWriteTimeout()));
		javaMail.setProperty(prefix + "auth", String.valueOf(url.username() != null));
		if (!url.implicitTls()) {
			javaMail.setProperty(prefix + "starttls.enable", "true");
			javaMail.setProperty(prefix + "starttls.required", String.valueOf(url.startTlsRequired()));
		}
		if (url.verifyPeer()) {
			javaMail.setProperty(prefix + "ssl.checkserveridentity", "true");
			String bundle = mail.getSsl().getBundle();
			if (StringUtils.hasLength(bundle) && sslBundles != null) {
				javaMail.put(prefix + "ssl.socketFactory",
						sslBundles.getBundle(bundle).createSslContext().getSocketFactory());
			}
		}
		else {
			javaMail.setProperty(prefix + "ssl.trust", "*");
			javaMail.setProperty(prefix + "ssl.checkserveridentity", "false");
		}
		// The user's own JavaMail settings win, as they would on Boot's sender, within what attach guarantees.
		javaMail.putAll(mail.getProperties());
		checkTimeouts(mail.getProperties());
		String required = prefix + "starttls.required";
		if (url.startTlsRequired() && !"true".equalsIgnoreCase(javaMail.getProperty(required))) {
			throw (url.username() != null)
					? new InvalidSettingException(PROPERTIES + required, "is '" + javaMail.getProperty(required)
							+ "', which would send the credentials of " + setting
							+ " in clear text to a server that does not offer STARTTLS",
							"Remove it: with credentials, " + setting + " requires STARTTLS. To accept clear text on"
									+ " a network you trust, add ?starttls=optional to " + setting + " instead.")
					: new InvalidSettingException(PROPERTIES + required,
							"is '" + javaMail.getProperty(required) + "', but " + setting + " has starttls=required",
							"Remove one of the two.");
		}
		return javaMail;
	}

	private static void checkTimeouts(Map<String, String> userProperties) {
		for (String protocol : List.of("smtp", "smtps")) {
			for (String timeout : TIMEOUTS) {
				String key = "mail." + protocol + "." + timeout;
				String value = userProperties.get(key);
				if (value != null) {
					checkTimeout(PROPERTIES + key, value);
				}
			}
		}
	}

	private static void checkTimeout(String property, String value) {
		try {
			// JavaMail reads 0, a negative number and anything that is not an int as "wait forever".
			Timeouts.positive(Duration.ofMillis(Integer.parseInt(value)));
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException(property, "is '" + value + "', which JavaMail reads as no timeout",
					"Use a positive number of milliseconds, such as 10000, or remove it to use attach.mail.*-timeout.");
		}
	}

	private static String millis(Duration duration) {
		// JavaMail reads an int of milliseconds: below 1 ms is 0 and above Integer.MAX_VALUE is no number, both
		// "wait forever".
		long millis = duration.plusNanos(999_999).toMillis();
		return String.valueOf(Math.max(1, Math.min(millis, Integer.MAX_VALUE)));
	}

}
