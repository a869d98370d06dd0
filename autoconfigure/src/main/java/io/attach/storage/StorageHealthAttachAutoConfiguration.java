package io.attach.storage;

import java.time.Duration;

import io.attach.core.AttachProperties;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.health.ResourceHealthCheck;
import io.attach.health.ResourceHealthMonitor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the attached storage's
 * time-bounded health check, switched by {@code management.health.storage.enabled}; Boot has no check of its own.
 *
 * @author attach
 */
@AutoConfiguration(after = { StorageAttachAutoConfiguration.class, HealthAttachAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnAttachedResource(StorageResourceKind.RESOURCE)
@ResourceHealthCheck(StorageResourceKind.RESOURCE)
@ConditionalOnBean({ GuardedFileStorage.class, ResourceHealthMonitor.class })
public final class StorageHealthAttachAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "storageHealthContributor")
	MonitoredHealthIndicator storageHealthContributor(ResourceHealthMonitor monitor, AttachedResources resources,
			StorageBackend storageBackend, GuardedFileStorage fileStorage, AttachProperties properties) {
		// The probe bypasses the guard: it sees the store come back while the breaker is open, and moves the breaker.
		MonitoredHealthIndicator indicator = monitor
			.monitor(resources.get(StorageResourceKind.RESOURCE).orElseThrow(), new StorageCheck(storageBackend));
		// A DOWN holds the breaker open until two more checks could have renewed it, as for the database.
		Duration hold = properties.getHealth().getInterval().plus(properties.getHealth().getTimeout()).multipliedBy(2);
		fileStorage.guard().ifPresent((guard) -> indicator.addStatusListener((status) -> {
			if (Status.DOWN.equals(status)) {
				guard.markDown(hold);
			}
			else if (Status.UP.equals(status)) {
				guard.markUp();
			}
		}));
		return indicator;
	}

}
