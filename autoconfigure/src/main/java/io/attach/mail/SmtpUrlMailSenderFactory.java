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

	private static final List<String> PROTOCOLS = List.of("smtp", "smtps");

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
	static JavaMailSenderImpl create(SmtpUrl asSet, String setting, AttachMailProperties properties,
			MailProperties mail, @Nullable SslBundles sslBundles) {
		SmtpUrl url = asSet;
		if (!properties.isVerifyPeer()) {
			url = url.withoutPeerVerification();
			logger.warn("attach.mail.verify-peer is false: the certificate of the mail server of " + setting
					+ " is not verified, so anyone on the path can pose as it" + ((url.username() != null)
							? " and read the credentials" : "")
					+ ". Use it only where the platform owns " + setting + " and its certificate is self-signed.");
		}
		else if (!url.verifyPeer()) {
			logger.warn(setting + " turns off certificate verification (ssl_cert_reqs=none, verifyPeer=false or"
					+ " verify_peer=0):"
					+ " anyone on the path can pose as the mail server" + ((url.username() != null)
							? " and read the credentials" : "")
					+ ". Remove it and trust the server's certificate authority with spring.mail.ssl.bundle.");
		}
		if (url.clearTextCredentialsAllowed()) {
			logger.warn(setting + " has starttls=optional (or tls=opportunistic): its credentials are sent in clear"
					+ " text to a server that does not offer STARTTLS, and anyone on the path can remove that offer."
					+ " Remove it to require TLS, or use smtps://.");
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
		if (url.verifyPeer()) {
			checkCertificateChecks(mail.getProperties(), url, setting);
		}
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
		for (String protocol : PROTOCOLS) {
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
		Timeouts.requirePositive(Duration.ofMillis(parseInt(value)), "JavaMail",
				"a positive number of milliseconds, such as 10000", "attach.mail.*-timeout",
				(problem, action) -> new InvalidSettingException(property, "is '" + value + "', " + problem, action));
	}

	// JavaMail reads anything that is not an int as no timeout, as it does 0.
	private static long parseInt(String value) {
		try {
			return Integer.parseInt(value);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Refuses JavaMail settings that accept any certificate while the URL verifies the server: as with
	 * {@code starttls.required}, a relaxation is asked for in the URL, where it is logged at WARN, never by a
	 * JavaMail setting that would turn it off silently.
	 */
	private static void checkCertificateChecks(Map<String, String> userProperties, SmtpUrl url, String setting) {
		for (String protocol : PROTOCOLS) {
			String trust = "mail." + protocol + ".ssl.trust";
			if (userProperties.get(trust) != null) {
				throw unverified(trust, userProperties.get(trust), url, setting);
			}
			String identity = "mail." + protocol + ".ssl.checkserveridentity";
			if (userProperties.get(identity) != null && !"true".equalsIgnoreCase(userProperties.get(identity))) {
				throw unverified(identity, userProperties.get(identity), url, setting);
			}
		}
	}

	private static InvalidSettingException unverified(String key, String value, SmtpUrl url, String setting) {
		return new InvalidSettingException(PROPERTIES + key, "is '" + value + "', which turns off the certificate"
				+ " checks of " + setting + ": anyone on the path could pose as the mail server"
				+ ((url.username() != null) ? " and read the credentials" : ""),
				"Remove it and trust the server's certificate authority with spring.mail.ssl.bundle. To accept any"
						+ " certificate on a network you trust, add ?verifyPeer=false to " + setting + " instead.");
	}

	private static String millis(Duration duration) {
		return String.valueOf(Timeouts.millis(duration));
	}

}
