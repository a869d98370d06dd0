package io.attach.health;

import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * The readiness group: the user's configured group, or {@code readinessState} alone, plus every attached resource
 * whose readiness role is required.
 *
 * @author attach
 */
final class ReadinessGroup implements HealthEndpointGroup {

	private static final String READINESS_STATE = "readinessState";

	private final HealthEndpointGroup settings;

	private final @Nullable HealthEndpointGroup configured;

	private final Predicate<String> requiredResource;

	/**
	 * Creates the group.
	 * @param configured the readiness group the user configured, or {@code null}
	 * @param primary the primary group, whose settings apply when the user configured none
	 * @param requiredResource tells whether a contributor name is a required attached resource
	 */
	ReadinessGroup(@Nullable HealthEndpointGroup configured, HealthEndpointGroup primary,
			Predicate<String> requiredResource) {
		this.configured = configured;
		this.settings = (configured != null) ? configured : primary;
		this.requiredResource = requiredResource;
	}

	@Override
	public boolean isMember(String name) {
		boolean member = (this.configured != null) ? this.configured.isMember(name) : READINESS_STATE.equals(name);
		return member || this.requiredResource.test(name);
	}

	@Override
	public boolean showComponents(SecurityContext securityContext) {
		return this.settings.showComponents(securityContext);
	}

	@Override
	public boolean showDetails(SecurityContext securityContext) {
		return this.settings.showDetails(securityContext);
	}

	@Override
	public StatusAggregator getStatusAggregator() {
		return this.settings.getStatusAggregator();
	}

	@Override
	public HttpCodeStatusMapper getHttpCodeStatusMapper() {
		return this.settings.getHttpCodeStatusMapper();
	}

	@Override
	public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
		return (this.configured != null) ? this.configured.getAdditionalPath() : null;
	}

}
