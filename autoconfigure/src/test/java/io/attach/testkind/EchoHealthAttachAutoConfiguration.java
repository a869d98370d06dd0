package io.attach.testkind;

import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.health.ResourceHealthCheck;
import io.attach.health.ResourceHealthMonitor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the attached echo
 * resource's health check.
 *
 * @author attach
 */
@AutoConfiguration(after = HealthAttachAutoConfiguration.class)
@ConditionalOnAttachedResource("echo")
@ConditionalOnBean(ResourceHealthMonitor.class)
@ResourceHealthCheck("echo")
public final class EchoHealthAttachAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "echoHealthContributor")
	MonitoredHealthIndicator echoHealthContributor(ResourceHealthMonitor monitor, AttachedResources resources) {
		return monitor.monitor(resources.get("echo").orElseThrow(),
				new EchoCheck(resources.get("echo").orElseThrow()));
	}

}
