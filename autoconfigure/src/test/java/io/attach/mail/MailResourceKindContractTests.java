package io.attach.mail;

import java.nio.file.Path;
import java.util.List;

import io.attach.kind.ResourceKindContractTests;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mail.autoconfigure.MailHealthContributorAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * The {@link ResourceKindContractTests contract} run for {@code SMTP_URL}.
 *
 * @author attach
 */
class MailResourceKindContractTests extends ResourceKindContractTests {

	@TempDir
	Path spool;

	@Override
	protected List<String> variables() {
		return List.of("SMTP_URL");
	}

	@Override
	protected String resourceName() {
		return "mail";
	}

	@Override
	protected String url(String password) {
		return "smtp://apikey:" + password + "@127.0.0.1:" + closedPort();
	}

	@Override
	protected String wrongSchemeUrl(String password) {
		return "redis://:" + password + "@127.0.0.1:" + closedPort() + "/0";
	}

	@Override
	protected Class<?> attachedType() {
		return OutboxMailSender.class;
	}

	@Override
	protected Class<?> userType() {
		return JavaMailSender.class;
	}

	@Override
	protected Object userBean() {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(closedPort());
		return sender;
	}

	@Override
	protected Class<?> attachAutoConfiguration() {
		return MailAttachAutoConfiguration.class;
	}

	@Override
	protected AutoConfigurations autoConfigurations() {
		return AutoConfigurations.of(OutboxAttachAutoConfiguration.class, MailAttachAutoConfiguration.class,
				MailSenderAutoConfiguration.class, MailHealthAttachAutoConfiguration.class,
				MailHealthContributorAutoConfiguration.class);
	}

	@Override
	protected List<String> properties() {
		// Mail attached under attach.require needs a sender.
		return List.of("attach.outbox.directory=" + this.spool, "MAIL_FROM=no-reply@example.com");
	}

	@Override
	protected String attachedPassword(ConfigurableApplicationContext context) {
		return context.getBean("smtpMailSender", JavaMailSenderImpl.class).getPassword();
	}

	@Override
	protected String bootIndicator() {
		return "mail";
	}

	@Override
	protected String defaultReadiness() {
		return "degradable";
	}

	@Override
	protected boolean guarded() {
		return true;
	}

}
