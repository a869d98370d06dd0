package io.attach.resilience;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the guard of each attached resource that the application calls on its request path.
 *
 * @author attach
 */
@ConfigurationProperties("attach.guard")
public class AttachGuardProperties {

	/**
	 * Guard settings per resource name, such as {@code database}.
	 */
	private final Map<String, Resource> resources = new LinkedHashMap<>();

	public Map<String, Resource> getResources() {
		return this.resources;
	}

	/**
	 * Returns the settings of a resource, its defaults when none are set.
	 * @param name the resource name
	 * @return the settings
	 */
	public Resource get(String name) {
		Resource resource = this.resources.get(name);
		return (resource != null) ? resource : new Resource();
	}

	/**
	 * Guard settings of one resource.
	 */
	public static class Resource {

		/**
		 * Whether calls to the resource go through its circuit breaker and bulkhead.
		 */
		private boolean enabled = true;

		/**
		 * Whether to bound how many calls may wait on the resource at once.
		 */
		private boolean bulkhead = true;

		/**
		 * Most calls that may wait on the resource at once; beyond it a call fails at once. Defaults to the size
		 * of the resource's connection pool.
		 */
		private @Nullable Integer maxWaitingCalls;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isBulkhead() {
			return this.bulkhead;
		}

		public void setBulkhead(boolean bulkhead) {
			this.bulkhead = bulkhead;
		}

		public @Nullable Integer getMaxWaitingCalls() {
			return this.maxWaitingCalls;
		}

		public void setMaxWaitingCalls(@Nullable Integer maxWaitingCalls) {
			this.maxWaitingCalls = maxWaitingCalls;
		}

	}

}
