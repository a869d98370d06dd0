package io.attach.health;

import io.attach.core.AttachedResources;
import io.attach.core.ReadinessRole;

import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Adds the required attached resources to the readiness group, whatever is attached in this environment.
 * <p>
 * Runs before Boot's probe post-processor, which then keeps this group and gives it {@code /readyz}.
 *
 * @author attach
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
final class ReadinessHealthEndpointGroupsPostProcessor implements HealthEndpointGroupsPostProcessor {

	private final AttachedResources resources;

	ReadinessHealthEndpointGroupsPostProcessor(AttachedResources resources) {
		this.resources = resources;
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		return new ReadinessHealthEndpointGroups(groups, (name) -> this.resources.get(name)
			.filter((resource) -> resource.readiness() == ReadinessRole.REQUIRED)
			.isPresent());
	}

}
