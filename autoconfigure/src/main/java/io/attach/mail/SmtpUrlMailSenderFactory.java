package io.attach.mail;

import java.util.Properties;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.util.StringUtils;

/**
 * Configures a {@link JavaMailSenderImpl} from an {@link SmtpUrl}: finite timeouts, STARTTLS when offered (or
 * required), certificates and host names verified; {@code spring.mail.properties.*}, {@code default-encoding} and
 * {@code spring.mail.ssl.bundle} still apply.
 *
 * @author attach
 */
final class SmtpUrlMailSenderFactory {

	private SmtpUrlMailSenderFactory() {
	}

	static JavaMailSenderImpl create(SmtpUrl url, AttachMailProperties properties, MailProperties mail,
			@Nullable SslBundles sslBundles) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setProtocol(url.protocol());
		sender.setHost(url.host());
		sender.setPort(url.port());
		sender.setUsername(url.username());
		sender.setPassword(url.password());
		sender.setDefaultEncoding(mail.getDefaultEncoding().name());
		sender.setJavaMailProperties(javaMailProperties(url, properties, mail, sslBundles));
		return sender;
	}

	private static Properties javaMailProperties(SmtpUrl url, AttachMailProperties properties, MailProperties mail,
			@Nullable SslBundles sslBundles) {
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
		// The user's own JavaMail settings win, as they would on Boot's sender.
		javaMail.putAll(mail.getProperties());
		return javaMail;
	}

	private static String millis(java.time.Duration duration) {
		return String.valueOf(duration.toMillis());
	}

}
