package io.attach.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.attach.core.AttachedResource;
import io.attach.core.InvalidSettingException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * One {@link ResourceGuard} per attached resource that the application calls on its request path, with the
 * resource's circuit breaker and a bulkhead sized from its connection pool unless configured.
 *
 * @author attach
 */
public final class ResourceGuards {

	private final ResourceCircuitBreakers breakers;

	private final AttachGuardProperties properties;

	private final @Nullable MeterRegistry meterRegistry;

	private final Map<String, ResourceGuard> guards = new ConcurrentHashMap<>();

	/**
	 * Creates the guards' factory.
	 * @param breakers the resources' circuit breakers
	 * @param properties the guards' settings
	 * @param meterRegistry the meter registry, or {@code null} without metrics
	 */
	public ResourceGuards(ResourceCircuitBreakers breakers, AttachGuardProperties properties,
			@Nullable MeterRegistry meterRegistry) {
		this.breakers = breakers;
		this.properties = properties;
		this.meterRegistry = meterRegistry;
	}

	/**
	 * Returns the guard of a resource, creating it on first use.
	 * @param resource the attached resource
	 * @param poolSize the most connections the resource's client holds, the bulkhead's default bound
	 * @return its guard, or empty when {@code attach.guard.resources.<name>.enabled} is {@code false}
	 */
	public Optional<ResourceGuard> forResource(AttachedResource resource, int poolSize) {
		if (!this.properties.get(resource.name()).isEnabled()) {
			return Optional.empty();
		}
		return Optional.of(this.guards.computeIfAbsent(resource.name(), (name) -> create(resource, poolSize)));
	}

	/**
	 * Returns the guard of a resource, if it has one.
	 * @param name the resource name
	 * @return its guard, or empty
	 */
	public Optional<ResourceGuard> find(String name) {
		return Optional.ofNullable(this.guards.get(name));
	}

	private ResourceGuard create(AttachedResource resource, int poolSize) {
		String name = resource.name();
		AttachGuardProperties.Resource settings = this.properties.get(name);
		String setting = "attach.guard.resources." + name + ".max-waiting-calls";
		Bulkhead bulkhead = null;
		if (settings.isBulkhead()) {
			Integer configured = settings.getMaxWaitingCalls();
			int maxWaitingCalls = (configured != null) ? configured : Math.max(1, poolSize);
			if (maxWaitingCalls < 1) {
				throw new InvalidSettingException(setting, "is " + maxWaitingCalls + ", so no call could ever be made",
						"Set it to 1 or more, or turn the bound off with attach.guard.resources." + name
								+ ".bulkhead=false.");
			}
			// No wait for a permit: past the bound, a call fails at once rather than queueing for the queue.
			bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
				.maxConcurrentCalls(maxWaitingCalls)
				.maxWaitDuration(Duration.ZERO)
				.build());
		}
		return new ResourceGuard(resource, this.breakers.forResource(resource), bulkhead, setting,
				this.meterRegistry);
	}

}
