package io.attach.resilience;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.attach.core.AttachedResource;
import io.attach.core.ResourceDetailsContributor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.common.CompositeCustomizer;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties.InstanceProperties;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigurationProperties;

/**
 * One circuit breaker per attached resource, named after it, from a Spring Cloud
 * {@link Resilience4JCircuitBreakerFactory} that runs calls on the caller's thread.
 * <p>
 * Breakers live in the application's {@link CircuitBreakerRegistry}, so {@code resilience4j.circuitbreaker.*}
 * properties configure them and {@code /actuator/circuitbreakers} lists them.
 *
 * @author attach
 */
public final class ResourceCircuitBreakers implements ResourceDetailsContributor {

	private static final Log logger = LogFactory.getLog(ResourceCircuitBreakers.class);

	private static final CircuitBreakerConfig DEFAULTS = bindDefaults();

	private final CircuitBreakerRegistry registry;

	private final Resilience4JCircuitBreakerFactory factory;

	private final @Nullable MeterRegistry meterRegistry;

	private final Map<String, ResourceCircuitBreaker> breakers = new ConcurrentHashMap<>();

	/**
	 * Creates the breakers' factory.
	 * @param registry the application's circuit-breaker registry
	 * @param timeLimiterRegistry the application's time-limiter registry, unused on the caller's thread
	 * @param meterRegistry the meter registry, or {@code null} without metrics
	 * @param bindRegistryMetrics whether to publish the registry's state gauges, which its owner does when it is
	 * the application's
	 */
	public ResourceCircuitBreakers(CircuitBreakerRegistry registry, TimeLimiterRegistry timeLimiterRegistry,
			@Nullable MeterRegistry meterRegistry, boolean bindRegistryMetrics) {
		Resilience4JConfigurationProperties properties = new Resilience4JConfigurationProperties();
		// Without a thread pool there is neither an executor hop nor a time limiter; no bulkhead provider either,
		// since Spring Cloud's default bulkhead is a thread pool too.
		properties.setDisableThreadPool(true);
		this.registry = registry;
		this.factory = new Resilience4JCircuitBreakerFactory(registry, timeLimiterRegistry, null, properties);
		this.meterRegistry = meterRegistry;
		if (meterRegistry != null && bindRegistryMetrics) {
			// Resilience4j's state gauges (resilience4j.circuitbreaker.state, tag name=<resource>), for breakers
			// created later too.
			TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meterRegistry);
		}
	}

	/**
	 * Returns the breaker of a resource, creating it on first use.
	 * @param resource the attached resource
	 * @return its breaker
	 */
	public ResourceCircuitBreaker forResource(AttachedResource resource) {
		return this.breakers.computeIfAbsent(resource.name(), (name) -> create(resource));
	}

	/**
	 * Returns the state of a resource's breaker.
	 * @param name the resource name
	 * @return the state, or empty when the resource has no breaker
	 */
	public Optional<CircuitBreaker.State> getState(String name) {
		return Optional.ofNullable(this.breakers.get(name)).map(ResourceCircuitBreaker::getState);
	}

	/**
	 * Returns attach's breaker configuration, for a breaker the application's properties do not configure.
	 * @return the configuration of {@link BreakerDefaults}
	 */
	static CircuitBreakerConfig defaults() {
		return DEFAULTS;
	}

	// From the properties the environment post-processor writes, the way Resilience4j's Spring Boot support builds
	// an instance's configuration from them, so that a breaker is the same whichever of the two configured it.
	private static CircuitBreakerConfig bindDefaults() {
		String name = "defaults";
		InstanceProperties instance = new Binder(new MapConfigurationPropertySource(BreakerDefaults.properties(name)))
			.bind(BreakerDefaults.PREFIX + name, InstanceProperties.class)
			.get();
		return new CommonCircuitBreakerConfigurationProperties().createCircuitBreakerConfig(name, instance,
				new CompositeCustomizer<>(List.of()));
	}

	@Override
	public void contribute(AttachedResource resource, Map<String, Object> details) {
		getState(resource.name()).ifPresent((state) -> details.put("circuitBreaker", state.name()));
	}

	private ResourceCircuitBreaker create(AttachedResource resource) {
		String name = resource.name();
		// Same precedence as the factory: a named config, else attach's defaults; a configured instance wins.
		CircuitBreakerConfig config = this.registry.getConfiguration(name).orElseGet(ResourceCircuitBreakers::defaults);
		this.factory.configure((builder) -> builder.circuitBreakerConfig(config), name);
		CircuitBreaker state = this.registry.circuitBreaker(name, config);
		state.getEventPublisher().onStateTransition((event) -> {
			CircuitBreaker.StateTransition transition = event.getStateTransition();
			String message = "Circuit breaker of " + name + " (" + resource.kind().id() + "): "
					+ transition.getFromState() + " -> " + transition.getToState();
			if (transition.getToState() == CircuitBreaker.State.FORCED_OPEN) {
				logger.warn(message + "; calls skip it while its health check finds it down");
			}
			else if (transition.getToState() == CircuitBreaker.State.OPEN) {
				logger.warn(message + "; calls skip it for " + state.getCircuitBreakerConfig()
					.getWaitIntervalFunctionInOpenState()
					.apply(1) + " ms");
			}
			else {
				logger.info(message);
			}
		});
		return new ResourceCircuitBreaker(resource, this.factory.create(name), state, this.meterRegistry);
	}

}
