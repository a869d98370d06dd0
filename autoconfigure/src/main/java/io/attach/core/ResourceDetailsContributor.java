package io.attach.core;

import java.util.Map;

/**
 * Adds live facts about an attached resource, such as its circuit breaker's state, to
 * {@code /actuator/attachments} and to the resource's health details.
 *
 * @author attach
 */
@FunctionalInterface
public interface ResourceDetailsContributor {

	/**
	 * Adds details about a resource.
	 * @param resource the resource
	 * @param details the details to add to
	 */
	void contribute(AttachedResource resource, Map<String, Object> details);

}
