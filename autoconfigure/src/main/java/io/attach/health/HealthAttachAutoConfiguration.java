package io.attach.health;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachProperties;
import io.attach.core.AttachedResources;
import io.attach.core.ResourceDetailsContributor;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the background health
 * monitor, the readiness group of attached resources, {@code /actuator/attachments} and the
 * {@code attach.resource.up} gauge.
 *
 * @author attach
 */
@AutoConfiguration(after = AttachAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public final class HealthAttachAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResourceHealthMonitor resourceHealthMonitor(AttachProperties properties,
			ObjectProvider<ResourceDetailsContributor> contributors) {
		return new ResourceHealthMonitor(properties.getHealth().getTimeout(), properties.getHealth().getInterval(),
				contributors.orderedStream().toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		// A binder rather than a condition on the registry, which an auto-configuration ordered after this one
		// defines: Boot binds it to the application's registry when there is one, and it does nothing otherwise.
		@Bean
		ResourceHealthMetrics attachResourceHealthMetrics(ResourceHealthMonitor monitor, AttachedResources resources) {
			return new ResourceHealthMetrics(monitor, resources);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthEndpointGroupsPostProcessor.class)
	static class ActuatorConfiguration {

		@Bean
		@ConditionalOnBooleanProperty(name = "management.endpoint.health.probes.enabled", matchIfMissing = true)
		ReadinessHealthEndpointGroupsPostProcessor attachReadinessHealthEndpointGroupsPostProcessor(
				AttachedResources resources) {
			return new ReadinessHealthEndpointGroupsPostProcessor(resources);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(AttachmentsEndpoint.class)
		AttachmentsEndpoint attachmentsEndpoint(AttachedResources resources, ResourceHealthMonitor monitor,
				ObjectProvider<ResourceDetailsContributor> contributors) {
			return new AttachmentsEndpoint(resources, monitor, contributors.orderedStream().toList());
		}

		@Bean
		SanitizingFunction attachRedactingSanitizingFunction() {
			return new RedactingSanitizingFunction();
		}

	}

}
