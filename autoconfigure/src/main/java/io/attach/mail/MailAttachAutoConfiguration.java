package io.attach.mail;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachProperties;
import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.core.Backends;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.core.ConditionalOnBackend;
import io.attach.core.ConnectionDetailsPrecedenceLogger;
import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceDeclaration;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;
import io.attach.outbox.Outbox;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import io.attach.outbox.Outboxes;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.mail.MailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that turns
 * {@code SMTP_URL} into the application's {@link org.springframework.mail.javamail.JavaMailSender}, sending through
 * a durable outbox, or logs mail when {@code MAIL_BACKEND} is {@code console}.
 * <p>
 * A {@code MailSender} bean of the user's wins; {@code SMTP_URL} wins over {@code spring.mail.host}. The sender that
 * talks to the server directly is the bean {@code smtpMailSender}, injected only by name.
 *
 * @author attach
 */
@AutoConfiguration(before = MailSenderAutoConfiguration.class, after = { AttachAutoConfiguration.class,
		OutboxAttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class })
@ConditionalOnClass({ MimeMessage.class, JavaMailSenderImpl.class, MailProperties.class })
@EnableConfigurationProperties({ AttachMailProperties.class, MailProperties.class })
public final class MailAttachAutoConfiguration {

	static final String RESOURCE = "mail";

	private static final Log logger = LogFactory.getLog(MailAttachAutoConfiguration.class);

	// SMTP_URL ignored for a MailSender of the user's must be said, as for the kinds with connection details.
	@Bean
	@ConditionalOnAttachedResource(RESOURCE)
	ConnectionDetailsPrecedenceLogger attachMailSenderPrecedenceLogger(AttachedResources resources,
			ObjectProvider<MailSender> mailSenders) {
		return new ConnectionDetailsPrecedenceLogger(resources.get(RESOURCE).orElseThrow(), mailSenders,
				PreparingMailSender.class);
	}

	// A MailSender of the user's replaces the whole chain: nothing would feed the outbox.
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(resource = RESOURCE, value = MailResourceKind.SMTP)
	@ConditionalOnMissingBean(MailSender.class)
	static class SmtpConfiguration {

		// Not a default candidate: code that injects a JavaMailSender gets the outbox; this one only by name.
		@Bean(defaultCandidate = false)
		JavaMailSenderImpl smtpMailSender(AttachedResources resources, AttachMailProperties properties,
				MailProperties mail, ObjectProvider<SslBundles> sslBundles) {
			AttachedResource resource = resources.get(RESOURCE).orElseThrow();
			resource.url().ignoredParametersWarning(SmtpUrl.PARAMETERS).ifPresent(logger::warn);
			return SmtpUrlMailSenderFactory.create(SmtpUrl.of(resource.url()), resource.setting(), properties, mail,
					sslBundles.getIfAvailable());
		}

		// The outbox service wires breaker, metrics, store readiness and the wake on recovery, as for every kind.
		@Bean
		Outbox mailOutbox(Outboxes outboxes, @Qualifier("smtpMailSender") JavaMailSenderImpl smtpMailSender,
				AttachedResources resources) {
			AttachedResource resource = resources.get(RESOURCE).orElseThrow();
			return outboxes.create(resource, new MailDelivery(smtpMailSender, resource.setting()));
		}

		@Bean
		OutboxMailSender mailSender(@Qualifier("smtpMailSender") JavaMailSenderImpl smtpMailSender, Outbox mailOutbox,
				AttachMailProperties properties, AttachProperties attach, Environment environment) {
			InternetAddress from = defaultFrom(properties, environment);
			if (from == null) {
				requireSender(attach);
			}
			return new OutboxMailSender(smtpMailSender, new MailMessages(smtpMailSender, from), mailOutbox);
		}

		// Mail without a sender is refused at send(): say so at startup, before the first mail is.
		private static void requireSender(AttachProperties attach) {
			String action = "Set MAIL_FROM (or attach.mail.from) to the address mail comes from, such as "
					+ "'App <no-reply@example.com>'.";
			if (attach.getRequire().stream().anyMatch((name) -> name.trim().equalsIgnoreCase(RESOURCE))) {
				throw new InvalidSettingException("MAIL_FROM", "is not set, and mail is required (attach.require): "
						+ "a mail that names no From could not be sent", action);
			}
			logger.warn("SMTP_URL is attached but MAIL_FROM is not set: a mail that names no From is refused at "
					+ "send(). " + action);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBackend(resource = RESOURCE, value = MailResourceKind.CONSOLE)
	@ConditionalOnMissingBean(MailSender.class)
	static class ConsoleConfiguration {

		@Bean
		ConsoleMailSender mailSender(AttachMailProperties properties, Environment environment) {
			ResourceKind kind = ResourceKinds.named(RESOURCE).orElseThrow();
			if (!Backends.isIntended(environment, kind)) {
				// Right in development, a silent loss of every mail in production: say it once, loudly.
				logger.warn(consoleWarning(ResourceDeclaration.of(environment, kind)));
			}
			JavaMailSenderImpl factory = new JavaMailSenderImpl();
			InternetAddress from = defaultFrom(properties, environment);
			if (from == null) {
				logger.warn("MAIL_FROM is not set: a mail that names no From is refused at send(), as it would be "
						+ "with SMTP_URL. Set MAIL_FROM (or attach.mail.from) to the address mail comes from.");
			}
			return new ConsoleMailSender(factory, new MailMessages(factory, from));
		}

	}

	private static String consoleWarning(ResourceDeclaration declaration) {
		String keep = " or MAIL_BACKEND=console to keep it in the log without this warning.";
		if (declaration.url() != null && !declaration.enabled()) {
			return declaration.setting() + " is set, but mail is not attached (attach.resources." + RESOURCE
					+ ".enabled is false): mail is written to the log, not sent. Remove attach.resources." + RESOURCE
					+ ".enabled=false to send it," + keep;
		}
		return "No SMTP_URL: mail is written to the log, not sent. Set SMTP_URL to send it," + keep;
	}

	static @Nullable InternetAddress defaultFrom(AttachMailProperties properties, Environment environment) {
		String mailFrom = environment.getProperty("MAIL_FROM");
		// attach.mail.from: ${MAIL_FROM:…} is MAIL_FROM to whoever set it: the error names the variable.
		String setting = (properties.getFrom() == null || properties.getFrom().equals(mailFrom)) ? "MAIL_FROM"
				: "attach.mail.from";
		return MailMessages.parseFrom(setting, (properties.getFrom() != null) ? properties.getFrom() : mailFrom);
	}

}
