package io.attach.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A backing service the application is attached to, identified by name and reached through its parsed URL.
 *
 * @param name the resource name, such as {@code database}
 * @param kind the kind of service
 * @param setting the variable or property the URL came from, such as {@code DATABASE_URL}
 * @param url the parsed URL; its {@code toString()} is redacted
 * @param readiness how the resource's health counts towards readiness
 * @author attach
 */
public record AttachedResource(String name, ResourceKind kind, String setting, ResourceUrl url,
		ReadinessRole readiness) {

	/**
	 * Returns the URL with its password replaced by {@code ****}.
	 * @return the redacted URL
	 */
	public String displayUrl() {
		return this.url.redacted();
	}

	/**
	 * Returns the hosts and ports the URL names, as a report shows them.
	 * @return such as {@code db.internal:5432}, or several separated by commas
	 */
	public String server() {
		List<HostAndPort> hosts = this.url.isList()
				? this.url.urls().stream().flatMap((each) -> each.hosts().stream()).toList() : this.url.hosts();
		return hosts.isEmpty() ? "(no host)"
				: hosts.stream().map(HostAndPort::toString).distinct().collect(Collectors.joining(", "));
	}

}
