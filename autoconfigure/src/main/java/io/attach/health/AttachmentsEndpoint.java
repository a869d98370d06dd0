package io.attach.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.core.ResourceDetailsContributor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@link Endpoint @Endpoint} that lists the attached resources with their redacted URL and latest health.
 *
 * @author attach
 */
@Endpoint(id = "attachments")
public class AttachmentsEndpoint {

	private final AttachedResources resources;

	private final ResourceHealthMonitor monitor;

	private final List<ResourceDetailsContributor> contributors;

	/**
	 * Creates the endpoint.
	 * @param resources the attached resources
	 * @param monitor the monitor holding their latest health
	 * @param contributors what adds live details, such as breaker state
	 */
	public AttachmentsEndpoint(AttachedResources resources, ResourceHealthMonitor monitor,
			List<ResourceDetailsContributor> contributors) {
		this.resources = resources;
		this.monitor = monitor;
		this.contributors = List.copyOf(contributors);
	}

	@ReadOperation
	public AttachmentsDescriptor attachments() {
		Map<String, HealthSnapshot> latest = this.monitor.getIndicators()
			.stream()
			.filter((indicator) -> indicator.getLatest() != null)
			.collect(Collectors.toMap((indicator) -> indicator.getResource().name(),
					MonitoredHealthIndicator::getLatest, (first, second) -> second));
		return new AttachmentsDescriptor(this.resources.all()
			.stream()
			.map((resource) -> ResourceDescriptor.of(resource, latest.get(resource.name()), details(resource)))
			.toList());
	}

	private Map<String, Object> details(AttachedResource resource) {
		Map<String, Object> details = new LinkedHashMap<>();
		this.contributors.forEach((contributor) -> contributor.contribute(resource, details));
		return details;
	}

	/**
	 * The attached resources.
	 *
	 * @param resources one entry per resource
	 */
	public record AttachmentsDescriptor(List<ResourceDescriptor> resources) implements OperationResponseBody {

	}

	/**
	 * One attached resource as the endpoint shows it.
	 *
	 * @param name the resource name
	 * @param kind the kind of service
	 * @param source the variable or property the URL came from
	 * @param url the URL with its password redacted
	 * @param readiness the readiness role
	 * @param status the latest health status, {@code UNKNOWN} before the first check
	 * @param checkedAt when the latest check started, or {@code null}
	 * @param latencyMillis how long the latest check took, or {@code null}
	 * @param details live details, such as {@code circuitBreaker}
	 */
	public record ResourceDescriptor(String name, String kind, String source, String url, String readiness,
			String status, @Nullable Instant checkedAt, @Nullable Long latencyMillis, Map<String, Object> details) {

		static ResourceDescriptor of(AttachedResource resource, @Nullable HealthSnapshot snapshot,
				Map<String, Object> details) {
			String kind = resource.kind().id();
			String readiness = resource.readiness().name().toLowerCase();
			if (snapshot == null) {
				return new ResourceDescriptor(resource.name(), kind, resource.setting(), resource.displayUrl(),
						readiness, "UNKNOWN", null, null, details);
			}
			Object cause = snapshot.health().getDetails().get("cause");
			Map<String, Object> all = details;
			if (cause != null) {
				// Why it is down, in plain words, such as a TLS mismatch.
				all = new LinkedHashMap<>(details);
				all.put("cause", cause);
			}
			return new ResourceDescriptor(resource.name(), kind, resource.setting(), resource.displayUrl(), readiness,
					snapshot.health().getStatus().getCode(), snapshot.checkedAt(), snapshot.latency().toMillis(), all);
		}

	}

}
