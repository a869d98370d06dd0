package io.attach.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachedResources;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ResourceHealthMetrics}, as {@link HealthAttachAutoConfiguration} binds it.
 *
 * @author attach
 */
class ResourceHealthMetricsTests {

	// The metrics auto-configurations come after attach's, as they sort in an application.
	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, HealthAttachAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class))
		.withUserConfiguration(CacheCheckConfiguration.class)
		.withPropertyValues("REDIS_URL=redis://cache.example.com:6379/0", "attach.health.interval=50ms");

	@Test
	void whenTheCheckFindsTheResourceUpThenItsGaugeIsOne() {
		CacheCheckConfiguration.health.set(Health.up().build());
		this.contextRunner.run((context) -> {
			Gauge gauge = awaitGauge(context.getBean(MeterRegistry.class));
			assertThat(gauge.value()).isEqualTo(1);
			assertThat(gauge.getId().getTag("kind")).isEqualTo("redis");
			assertThat(gauge.getId().getTag("readiness")).isEqualTo("degradable");
		});
	}

	@Test
	void whenTheResourceGoesDownAndComesBackThenItsGaugeFollows() {
		CacheCheckConfiguration.health.set(Health.up().build());
		this.contextRunner.run((context) -> {
			Gauge gauge = awaitGauge(context.getBean(MeterRegistry.class));
			CacheCheckConfiguration.health.set(Health.down().withDetail("error", "refused").build());
			await().atMost(Duration.ofSeconds(5)).until(() -> gauge.value() == 0);
			CacheCheckConfiguration.health.set(Health.up().build());
			await().atMost(Duration.ofSeconds(5)).until(() -> gauge.value() == 1);
		});
	}

	@Test
	void whenTheResourceIsNeverCheckedThenItHasNoGauge() {
		CacheCheckConfiguration.health.set(Health.up().build());
		this.contextRunner.withPropertyValues("attach.resources.cache.readiness=ignored").run((context) -> {
			MonitoredHealthIndicator indicator = context.getBean(MonitoredHealthIndicator.class);
			// A few intervals in which a checked resource would have had its gauge.
			Thread.sleep(300);
			assertThat(indicator.getLatest()).isNull();
			assertThat(context.getBean(MeterRegistry.class).find("attach.resource.up").gauges()).isEmpty();
		});
	}

	@Test
	void withoutMicrometerThereIsNoBinderAndTheMonitorStillRuns() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, HealthAttachAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.withPropertyValues("REDIS_URL=redis://cache.example.com:6379/0")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ResourceHealthMonitor.class)
				.doesNotHaveBean(ResourceHealthMetrics.class));
	}

	private static Gauge awaitGauge(MeterRegistry registry) {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> registry.find("attach.resource.up").tag("resource", "cache").gauge() != null);
		return registry.get("attach.resource.up").tag("resource", "cache").gauge();
	}

	@Configuration(proxyBeanMethods = false)
	static class CacheCheckConfiguration {

		static final AtomicReference<Health> health = new AtomicReference<>(Health.up().build());

		@Bean
		MonitoredHealthIndicator cacheHealthContributor(ResourceHealthMonitor monitor, AttachedResources resources) {
			return monitor.monitor(resources.get("cache").orElseThrow(), health::get);
		}

	}

}
