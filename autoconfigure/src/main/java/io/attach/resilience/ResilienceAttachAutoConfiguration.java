package io.attach.resilience;

import io.attach.core.AttachAutoConfiguration;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the circuit breakers of
 * attached resources, in the application's Resilience4j registries when there are some.
 *
 * @author attach
 */
@AutoConfiguration(after = AttachAutoConfiguration.class, afterName = {
		"io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
		"io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterAutoConfiguration" })
@ConditionalOnClass({ Resilience4JCircuitBreakerFactory.class, CircuitBreakerRegistry.class,
		TaggedCircuitBreakerMetrics.class, MeterRegistry.class })
@EnableConfigurationProperties(AttachGuardProperties.class)
public final class ResilienceAttachAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ResourceCircuitBreakers resourceCircuitBreakers(ObjectProvider<CircuitBreakerRegistry> circuitBreakerRegistry,
			ObjectProvider<TimeLimiterRegistry> timeLimiterRegistry, ObjectProvider<MeterRegistry> meterRegistry) {
		CircuitBreakerRegistry applicationRegistry = circuitBreakerRegistry.getIfAvailable();
		// The application's registry has its metrics published by Spring Cloud; a registry of attach's own has not.
		return new ResourceCircuitBreakers(
				(applicationRegistry != null) ? applicationRegistry : CircuitBreakerRegistry.ofDefaults(),
				timeLimiterRegistry.getIfAvailable(TimeLimiterRegistry::ofDefaults), meterRegistry.getIfAvailable(),
				applicationRegistry == null);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnClass(name = "io.github.resilience4j.bulkhead.Bulkhead")
	ResourceGuards resourceGuards(ResourceCircuitBreakers breakers, AttachGuardProperties properties,
			ObjectProvider<MeterRegistry> meterRegistry) {
		return new ResourceGuards(breakers, properties, meterRegistry.getIfAvailable());
	}

}
