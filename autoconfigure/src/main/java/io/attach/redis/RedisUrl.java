package io.attach.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.attach.core.HostAndPort;
import io.attach.core.ResourceUrl;
import io.attach.core.Timeouts;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * A {@code REDIS_URL} read the way Lettuce and Spring Boot read it: {@code redis://}, {@code rediss://} (TLS) or
 * {@code redis-sentinel://}; a lone user-info token is the password.
 *
 * @param username the ACL user name, or {@code null}
 * @param password the password, or {@code null}
 * @param nodes the server, or the sentinels
 * @param database the database index
 * @param ssl whether to use TLS
 * @param verifyPeer whether to verify the server's certificate
 * @param sentinelMaster the sentinel master name, or {@code null} for a single server
 * @param connectTimeout the connect timeout from the URL, or {@code null}
 * @param commandTimeout the command timeout from the URL, or {@code null}
 * @author attach
 */
record RedisUrl(@Nullable String username, @Nullable String password, List<HostAndPort> nodes, int database,
		boolean ssl, boolean verifyPeer, @Nullable String sentinelMaster, @Nullable Duration connectTimeout,
		@Nullable Duration commandTimeout) {

	static final int DEFAULT_PORT = 6379;

	static final int DEFAULT_SENTINEL_PORT = 26379;

	/**
	 * The query parameters read; any other is named in a startup warning.
	 */
	static final Set<String> PARAMETERS = Set.of("db", "database", "sentinelMasterId", "timeout", "connectTimeout",
			"ssl_cert_reqs", "verifyPeer", "skip_verify", "username", "password");

	// The spellings of TLS that redis-py, Lettuce and providers hand out.
	private static final Set<String> TLS_SCHEMES = Set.of("rediss", "redis+ssl", "redis+tls", "rediss-sentinel");

	static RedisUrl of(ResourceUrl url) {
		url.refuseUnreadTlsParameters(PARAMETERS, "Use rediss:// for TLS.");
		boolean sentinel = url.scheme().endsWith("-sentinel");
		if (url.opaque() || url.hosts().isEmpty()) {
			throw url.invalid("has no host", "Use redis://[[user]:password@]host[:port][/database].");
		}
		if (url.hosts().stream().anyMatch(HostAndPort::isSocketPath)) {
			throw url.invalid("names a unix socket", "Use a network host and port, such as redis://cache:6379.");
		}
		if (!sentinel && url.hosts().size() > 1) {
			throw url.invalid("lists several hosts", "Use redis-sentinel://h1:26379,h2:26379/0#master for Sentinel.");
		}
		if (!sentinel && url.fragment() != null) {
			// Some clients read a fragment as an option (#insecure); only a Sentinel URL names its master there.
			throw url.invalid("has a fragment ('#…'), which only a redis-sentinel:// URL reads, as its master name",
					"Remove it; percent-encode '#' in the password as %23.");
		}
		if (url.parameter("addr") != null) {
			// go-redis lists further nodes there, for a cluster or its Sentinels: read as one node, the URL would
			// connect elsewhere than meant.
			throw url.invalid("lists further nodes in ?addr=, which attach does not read",
					"Use redis-sentinel://h1:26379,h2:26379/0#master for Sentinel; attach connects to one node or to"
							+ " Sentinel, not to Redis Cluster.");
		}
		String master = sentinel ? sentinelMaster(url) : null;
		boolean lonePassword = url.username() != null && url.password() == null;
		String username = lonePassword ? null : url.username();
		String password = lonePassword ? url.username() : url.password();
		boolean queryCredentials = url.parameter("username") != null || url.parameter("password") != null;
		if (queryCredentials && (username != null || (password != null && !password.isEmpty()))) {
			throw url.invalid("gives credentials both before the host and in the query",
					"Keep one of the two, such as redis://user:password@host:6379.");
		}
		if (queryCredentials) {
			// Predis and django-environ give the credentials in the query when the user info has none.
			username = url.parameter("username");
			password = url.parameter("password");
		}
		return new RedisUrl(username, password,
				url.hosts(), database(url), TLS_SCHEMES.contains(url.scheme()),
				// go-redis' spelling of the opt-out, beside redis-py's and Lettuce's.
				url.verifyPeer() && !"true".equalsIgnoreCase(url.parameter("skip_verify")), master,
				duration(url, "connectTimeout", "attach.redis.connect-timeout"),
				duration(url, "timeout", "attach.redis.command-timeout"));
	}

	/**
	 * Returns this URL with certificate verification off.
	 * @return the URL
	 */
	RedisUrl withoutPeerVerification() {
		return new RedisUrl(this.username, this.password, this.nodes, this.database, this.ssl, false,
				this.sentinelMaster, this.connectTimeout, this.commandTimeout);
	}

	int port(HostAndPort node) {
		return node.portOr((this.sentinelMaster != null) ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT);
	}

	private static String sentinelMaster(ResourceUrl url) {
		String master = (url.parameter("sentinelMasterId") != null) ? url.parameter("sentinelMasterId")
				: url.fragment();
		if (master == null || master.isEmpty()) {
			throw url.invalid("names no Sentinel master",
					"Name it after '#' or in ?sentinelMasterId=, such as redis-sentinel://h1:26379/0#mymaster.");
		}
		return master;
	}

	private static int database(ResourceUrl url) {
		String path = url.path();
		String value = (url.parameter("db") != null) ? url.parameter("db")
				: (url.parameter("database") != null) ? url.parameter("database") : path;
		if (value.isEmpty()) {
			return 0;
		}
		if (value.length() > 5 || !value.chars().allMatch(Character::isDigit)) {
			throw url.invalid("has a database index that is not a number",
					"Give the database index as a number, such as redis://cache:6379/0.");
		}
		return Integer.parseInt(value);
	}

	private static @Nullable Duration duration(ResourceUrl url, String name, String property) {
		String value = url.parameter(name);
		if (value == null) {
			return null;
		}
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			throw url.invalid("has a " + name + " parameter that is not a duration",
					"Give it as 500ms, 2s or a number of milliseconds.");
		}
		return Timeouts.requirePositive(duration, "Lettuce", name + " a positive duration such as 500ms", property,
				(problem, action) -> url.invalid("has " + name + "=" + value + ", " + problem, action));
	}

	@Override
	public String toString() {
		return "RedisUrl" + this.nodes + "/" + this.database;
	}

}
