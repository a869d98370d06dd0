package io.attach.testkind;

import io.attach.core.AttachedResource;
import io.attach.core.HostAndPort;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Checks an echo resource without a server: UP unless its host is {@code down}.
 *
 * @author attach
 */
final class EchoCheck implements HealthIndicator {

	private final AttachedResource resource;

	EchoCheck(AttachedResource resource) {
		this.resource = resource;
	}

	@Override
	public Health health() {
		String host = this.resource.url().hosts().stream().map(HostAndPort::host).findFirst().orElse("");
		return "down".equals(host) ? Health.down().build() : Health.up().withDetail("host", host).build();
	}

}
