package io.attach.health;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.health.contributor.Status;

/**
 * Publishes the latest check of each attached resource from the {@link ResourceHealthMonitor} as the gauge
 * {@code attach.resource.up}: 1 when it found the resource UP, 0 otherwise, like Prometheus's own {@code up}.
 * <p>
 * A resource's gauge is registered at its first check, so one that is never checked (readiness ignored, or its check
 * disabled) has none rather than a value that means nothing.
 *
 * @author attach
 */
final class ResourceHealthMetrics implements MeterBinder {

	private final ResourceHealthMonitor monitor;

	private final AttachedResources resources;

	ResourceHealthMetrics(ResourceHealthMonitor monitor, AttachedResources resources) {
		this.monitor = monitor;
		this.resources = resources;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (AttachedResource resource : this.resources.all()) {
			AtomicInteger up = new AtomicInteger();
			AtomicBoolean registered = new AtomicBoolean();
			// Told every check, of a resource monitored already or later, on the monitor's thread.
			this.monitor.addStatusListener(resource.name(), (status) -> {
				up.set(Status.UP.equals(status) ? 1 : 0);
				if (registered.compareAndSet(false, true)) {
					register(registry, resource, up);
				}
			});
		}
	}

	private static void register(MeterRegistry registry, AttachedResource resource, AtomicInteger up) {
		Gauge.builder("attach.resource.up", up, AtomicInteger::get)
			.description("Whether the latest health check found the attached resource UP (1) or not (0)")
			.tags("resource", resource.name(), "kind", resource.kind().id(), "readiness",
					resource.readiness().name().toLowerCase(Locale.ROOT))
			.strongReference(true)
			.register(registry);
	}

}
