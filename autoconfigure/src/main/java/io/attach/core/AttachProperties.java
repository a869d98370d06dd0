package io.attach.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for attached resources.
 *
 * @author attach
 */
@ConfigurationProperties("attach")
public class AttachProperties {

	/**
	 * Attached resources by name. Well-known names (database) also read their environment variable (DATABASE_URL)
	 * when no URL is set here.
	 */
	private final Map<String, Resource> resources = new LinkedHashMap<>();

	/**
	 * Names of resources that must be attached. Startup fails listing every missing variable at once.
	 */
	private List<String> require = new ArrayList<>();

	/**
	 * Names of resources whose stand-in, such as console mail or in-process messaging, this environment intends when
	 * the resource is not attached: said at INFO rather than as a warning. An attached resource is used all the same.
	 */
	private List<String> standIns = new ArrayList<>();

	/**
	 * Background health checks of attached resources.
	 */
	private final Health health = new Health();

	public Map<String, Resource> getResources() {
		return this.resources;
	}

	public List<String> getRequire() {
		return this.require;
	}

	public void setRequire(List<String> require) {
		this.require = require;
	}

	public List<String> getStandIns() {
		return this.standIns;
	}

	public void setStandIns(List<String> standIns) {
		this.standIns = standIns;
	}

	public Health getHealth() {
		return this.health;
	}

	/**
	 * One attached resource.
	 */
	public static class Resource {

		/**
		 * URL of the backing service. Takes precedence over the resource's environment variable.
		 */
		private @Nullable String url;

		/**
		 * Whether to attach the resource when its URL is set.
		 */
		private boolean enabled = true;

		/**
		 * How the resource's health counts towards readiness. Defaults to the kind's role: required for databases.
		 */
		private @Nullable ReadinessRole readiness;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable ReadinessRole getReadiness() {
			return this.readiness;
		}

		public void setReadiness(@Nullable ReadinessRole readiness) {
			this.readiness = readiness;
		}

	}

	/**
	 * Background health checks.
	 */
	public static class Health {

		/**
		 * Time a single check may take before it counts as DOWN. Keep it under the readiness probe's timeout.
		 */
		private Duration timeout = Duration.ofMillis(800);

		/**
		 * Time between two checks of the same resource.
		 */
		private Duration interval = Duration.ofSeconds(2);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = Timeouts.requirePositive("attach.health.timeout", timeout);
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = Timeouts.requirePositive("attach.health.interval", interval);
		}

	}

}
