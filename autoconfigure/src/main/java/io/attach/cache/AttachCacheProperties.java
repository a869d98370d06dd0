package io.attach.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the attached cache.
 *
 * @author attach
 */
@ConfigurationProperties("attach.cache")
public class AttachCacheProperties {

	/**
	 * Time an entry lives in the attached cache, unless its cache sets its own.
	 */
	private Duration timeToLive = Duration.ofMinutes(10);

	/**
	 * Prefix of every key, before the cache name, for applications that share a Redis.
	 */
	private @Nullable String keyPrefix;

	/**
	 * Packages, besides the application's own, whose classes a cached value may be read back as.
	 */
	private final List<String> allowedPackages = new ArrayList<>();

	/**
	 * Settings of individual caches, by cache name.
	 */
	private final Map<String, CacheSettings> caches = new LinkedHashMap<>();

	public Duration getTimeToLive() {
		return this.timeToLive;
	}

	public void setTimeToLive(Duration timeToLive) {
		this.timeToLive = timeToLive;
	}

	public @Nullable String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(@Nullable String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public List<String> getAllowedPackages() {
		return this.allowedPackages;
	}

	public Map<String, CacheSettings> getCaches() {
		return this.caches;
	}

	/**
	 * Settings of one cache.
	 */
	public static class CacheSettings {

		/**
		 * Time an entry of this cache lives.
		 */
		private Duration timeToLive = Duration.ofMinutes(10);

		public Duration getTimeToLive() {
			return this.timeToLive;
		}

		public void setTimeToLive(Duration timeToLive) {
			this.timeToLive = timeToLive;
		}

	}

}
