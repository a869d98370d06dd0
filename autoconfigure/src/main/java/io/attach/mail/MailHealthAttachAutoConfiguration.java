package io.attach.mail;

import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.health.ResourceHealthCheck;
import io.attach.health.ResourceHealthMonitor;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the attached mail
 * server's time-bounded health check, which replaces Boot's {@code mail} check and its unbounded
 * {@code testConnection()}, and follows its {@code management.health.mail.enabled}.
 *
 * @author attach
 */
@AutoConfiguration(after = { MailAttachAutoConfiguration.class, HealthAttachAutoConfiguration.class },
		beforeName = "org.springframework.boot.mail.autoconfigure.MailHealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, JavaMailSenderImpl.class })
@ConditionalOnAttachedResource(MailAttachAutoConfiguration.RESOURCE)
@ResourceHealthCheck(MailAttachAutoConfiguration.RESOURCE)
@ConditionalOnBean({ OutboxMailSender.class, ResourceHealthMonitor.class })
public final class MailHealthAttachAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "mailHealthContributor")
	MonitoredHealthIndicator mailHealthContributor(ResourceHealthMonitor monitor, AttachedResources resources,
			@Qualifier("smtpMailSender") JavaMailSenderImpl smtpMailSender, AttachMailProperties properties) {
		AttachedResource resource = resources.get(MailAttachAutoConfiguration.RESOURCE).orElseThrow();
		return monitor.monitor(resource,
				new MailCheck(smtpMailSender, resource.setting(), properties.getCheckInterval()));
	}

}
