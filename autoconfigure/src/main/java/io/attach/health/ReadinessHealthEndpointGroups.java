package io.attach.health;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;

/**
 * {@link HealthEndpointGroups} whose {@code readiness} group also holds the required attached resources.
 *
 * @author attach
 */
final class ReadinessHealthEndpointGroups implements HealthEndpointGroups, AdditionalPathsMapper {

	static final String READINESS = "readiness";

	private final HealthEndpointGroups groups;

	private final ReadinessGroup readiness;

	private final Set<String> names;

	ReadinessHealthEndpointGroups(HealthEndpointGroups groups, Predicate<String> requiredResource) {
		this.groups = groups;
		this.readiness = new ReadinessGroup(groups.get(READINESS), groups.getPrimary(), requiredResource);
		Set<String> names = new LinkedHashSet<>(groups.getNames());
		names.add(READINESS);
		this.names = Set.copyOf(names);
	}

	@Override
	public HealthEndpointGroup getPrimary() {
		return this.groups.getPrimary();
	}

	@Override
	public Set<String> getNames() {
		return this.names;
	}

	@Override
	public @Nullable HealthEndpointGroup get(String name) {
		return READINESS.equals(name) ? this.readiness : this.groups.get(name);
	}

	@Override
	public @Nullable List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
		return (this.groups instanceof AdditionalPathsMapper mapper)
				? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
	}

}
