package io.attach.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Counts what the broker answered to messaging's publishes, per topic: {@code attach.messaging.confirmed},
 * {@code attach.messaging.returned} and {@code attach.messaging.nacked} (nacked, or not confirmed in time).
 *
 * @author attach
 */
@FunctionalInterface
interface RabbitMetrics {

	/**
	 * Counts nothing, for an application without Micrometer.
	 */
	RabbitMetrics NONE = (name, topic) -> {
	};

	/**
	 * Counts one answer.
	 * @param name the counter's name
	 * @param topic the topic
	 */
	void count(String name, String topic);

	/**
	 * Counts in the application's meter registry, if Micrometer and a registry are there.
	 * @param beanFactory the application's beans
	 * @return the metrics
	 */
	static RabbitMetrics of(ListableBeanFactory beanFactory) {
		if (!ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", RabbitMetrics.class.getClassLoader())) {
			return NONE;
		}
		return Micrometer.of(beanFactory.getBeanProvider(MeterRegistry.class).getIfUnique());
	}

	/**
	 * Counts in a meter registry; loaded only when Micrometer is there.
	 */
	final class Micrometer {

		private Micrometer() {
		}

		static RabbitMetrics of(@Nullable MeterRegistry registry) {
			if (registry == null) {
				return NONE;
			}
			return (name, topic) -> Counter.builder(name)
				.description("Messages published to RabbitMQ, by the broker's answer")
				.tag("topic", topic)
				.register(registry)
				.increment();
		}

	}

}
