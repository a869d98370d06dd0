package io.attach.amqp;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.attach.core.HostAndPort;
import io.attach.core.InvalidResourceUrlException;
import io.attach.core.ResourceUrl;
import io.attach.core.Timeouts;
import org.jspecify.annotations.Nullable;

/**
 * An {@code AMQP_URL} read as the RabbitMQ URI specification reads it: {@code amqp://} or {@code amqps://} (TLS,
 * verified), user name, password, host and virtual host percent-decoded, a {@code +} kept as is, the default virtual
 * host {@code /} when there is no path, and the query parameters of the specification that a Java client can apply.
 * <p>
 * A cluster is a comma-separated list of hosts ({@code amqp://u:p@h1,h2:5673/vh}) or of URLs
 * ({@code amqp://u:p@h1/vh,amqp://u:p@h2/vh}), which must agree on credentials, virtual host, TLS and parameters; the
 * URLs after the first may leave out the credentials and parameters, which are then the first one's. A later URL
 * with other credentials is refused, by core already, naming neither password.
 *
 * @param source the URL as attached, for errors naming its setting
 * @param username the user name, or {@code null} for the broker's default (or EXTERNAL authentication)
 * @param password the password, or {@code null}
 * @param nodes the brokers, each with its port (the default when the URL gives none)
 * @param virtualHost the decoded virtual host
 * @param tls the TLS settings, or {@code null} for {@code amqp}
 * @param externalAuth whether to authenticate with the client certificate ({@code auth_mechanism=external})
 * @param heartbeat the heartbeat from {@code ?heartbeat=}, or {@code null}
 * @param connectionTimeout the connect timeout from {@code ?connection_timeout=}, or {@code null}
 * @param channelMax the channel limit from {@code ?channel_max=}, or {@code null}
 * @param warnings what the URL does that is allowed but worth a warning at startup, never with the password
 * @author attach
 */
record AmqpUrl(ResourceUrl source, @Nullable String username, @Nullable String password, List<HostAndPort> nodes,
		String virtualHost, @Nullable Tls tls, boolean externalAuth, @Nullable Duration heartbeat,
		@Nullable Duration connectionTimeout, @Nullable Integer channelMax, List<String> warnings) {

	static final int DEFAULT_PORT = 5672;

	static final int DEFAULT_TLS_PORT = 5671;

	static final String DEFAULT_VIRTUAL_HOST = "/";

	private static final String FORM = "Use amqp://user:password@host[:port][/vhost] or amqps://… for TLS";

	private static final Pattern NEXT_URL = Pattern.compile(",(?=(?i)amqps?://)");

	private static final Set<String> PARAMETERS = Set.of("heartbeat", "connection_timeout", "channel_max",
			"auth_mechanism", "verify", "cacertfile", "certfile", "keyfile", "password");

	private static final Set<String> TLS_PARAMETERS = Set.of("verify", "cacertfile", "certfile", "keyfile",
			"password");

	/**
	 * Reads an attached URL, or a list of them for a cluster.
	 * @param url the URL as attached
	 * @return the URL
	 * @throws InvalidResourceUrlException naming the setting, never the password, if the URL cannot be used
	 */
	static AmqpUrl of(ResourceUrl url) {
		// Core reads a list of one scheme (url.urls()); one mixing amqp and amqps may pass it as one URL with a path
		// such as "vh,amqps://h2/vh", so the value is split here with either scheme.
		String[] values = NEXT_URL.split(url.value().strip());
		if (values.length == 1) {
			return single(url, url);
		}
		ResourceUrl firstPart = ResourceUrl.of(url.setting(), values[0]);
		AmqpUrl first = single(url, firstPart);
		List<HostAndPort> nodes = new ArrayList<>(first.nodes);
		for (int i = 1; i < values.length; i++) {
			ResourceUrl part = ResourceUrl.of(url.setting(), values[i]);
			AmqpUrl next = single(url, part);
			first.checkAgrees(next, firstPart.parameters(), part.parameters(), i + 1);
			nodes.addAll(next.nodes);
		}
		return new AmqpUrl(url, first.username, first.password, List.copyOf(nodes), first.virtualHost, first.tls,
				first.externalAuth, first.heartbeat, first.connectionTimeout, first.channelMax, first.warnings);
	}

	/**
	 * Creates an error about this URL that names its setting.
	 * @param problem what is wrong
	 * @param action what to do about it
	 * @return the exception to throw
	 */
	InvalidResourceUrlException invalid(String problem, String action) {
		return this.source.invalid(problem, action);
	}

	private static AmqpUrl single(ResourceUrl source, ResourceUrl url) {
		if (url.opaque() || url.hosts().isEmpty()) {
			// The specification lets the host default to localhost; an attached broker is never guessed.
			throw source.invalid("has no host", FORM + ", such as amqps://user:secret@broker.example.com/vhost.");
		}
		if (url.hosts().stream().anyMatch(HostAndPort::isSocketPath)) {
			throw source.invalid("names a unix socket", FORM + ".");
		}
		if (url.fragment() != null) {
			throw source.invalid("has a '#' fragment, which AMQP has no use for",
					"Remove it; percent-encode a '#' in the password as %23.");
		}
		if (url.username() != null && url.password() == null && url.parameter("auth_mechanism") == null) {
			throw source.invalid("has a user name but no password", FORM + "; percent-encode an '@' as %40.");
		}
		List<String> warnings = new ArrayList<>();
		checkParameters(source, url);
		boolean tls = url.scheme().equals("amqps");
		int defaultPort = tls ? DEFAULT_TLS_PORT : DEFAULT_PORT;
		List<HostAndPort> nodes = url.hosts()
			.stream()
			.map((node) -> new HostAndPort(node.host(), node.portOr(defaultPort)))
			.toList();
		Tls settings = tls ? Tls.of(source, url, warnings) : null;
		boolean external = externalAuth(source, url, settings);
		return new AmqpUrl(source, url.username(), url.password(), nodes, virtualHost(source, url, warnings), settings,
				external, heartbeat(source, url), connectionTimeout(source, url), channelMax(source, url),
				List.copyOf(warnings));
	}

	private static void checkParameters(ResourceUrl source, ResourceUrl url) {
		List<String> unknown = url.parameters()
			.stream()
			.map(ResourceUrl.Parameter::name)
			.filter((name) -> !PARAMETERS.contains(name))
			.distinct()
			.toList();
		if (!unknown.isEmpty()) {
			// A misspelt heartbeat or verify would otherwise be dropped in silence.
			throw source.invalid("has the unsupported parameter" + ((unknown.size() > 1) ? "s " : " ") + unknown,
					"Use only heartbeat (seconds), connection_timeout (milliseconds), channel_max, auth_mechanism, "
							+ "and for amqps verify, cacertfile, certfile, keyfile and password.");
		}
		if (!url.scheme().equals("amqps")) {
			List<String> tlsOnly = url.parameters()
				.stream()
				.map(ResourceUrl.Parameter::name)
				.filter(TLS_PARAMETERS::contains)
				.distinct()
				.toList();
			if (!tlsOnly.isEmpty()) {
				throw source.invalid("has the TLS parameters " + tlsOnly + " but the scheme amqp, which does not use TLS",
						"Use amqps:// (port 5671 by default) to connect with TLS.");
			}
		}
	}

	private static String virtualHost(ResourceUrl source, ResourceUrl url, List<String> warnings) {
		String path = url.path();
		if (path.isEmpty()) {
			if (hasTrailingSlash(url.value())) {
				// The specification reads "amqp://host/" as the empty virtual host, which brokers refuse with 530.
				warnings.add(url.setting() + " ends with '/', which names the empty virtual host in the RabbitMQ URI "
						+ "specification, and brokers refuse it; attach uses the default virtual host '/'. Remove the "
						+ "trailing '/' to say so, write %2F for '/', or name the virtual host after the '/'.");
			}
			return DEFAULT_VIRTUAL_HOST;
		}
		if (path.indexOf('/') >= 0) {
			throw source.invalid("has several path segments, but the virtual host is one segment",
					"Percent-encode a '/' inside the virtual host as %2F, such as amqp://host/%2Fprod for '/prod'.");
		}
		try {
			// Core's percent-decoding, the one of URLs: a '+' stays a '+'.
			return new ResourceUrl.Parameter("vhost", path).decodedValue();
		}
		catch (IllegalArgumentException ex) {
			throw source.invalid("has an invalid percent-encoding in its virtual host",
					"Write '%' as %25 and '/' as %2F in the virtual host.");
		}
	}

	// The path is empty both without a '/' and with a lone trailing one: tell them apart in the text as written.
	private static boolean hasTrailingSlash(String value) {
		String rest = value.substring(value.indexOf("//") + 2);
		int query = rest.indexOf('?');
		String beforeQuery = (query >= 0) ? rest.substring(0, query) : rest;
		return beforeQuery.endsWith("/");
	}

	private static boolean externalAuth(ResourceUrl source, ResourceUrl url, @Nullable Tls tls) {
		String mechanism = url.parameter("auth_mechanism");
		if (mechanism == null || mechanism.equalsIgnoreCase("plain")) {
			return false;
		}
		if (!mechanism.equalsIgnoreCase("external")) {
			throw source.invalid("has auth_mechanism=" + mechanism + ", which the Java client does not support",
					"Use auth_mechanism=plain (the default) or auth_mechanism=external with a client certificate.");
		}
		if (tls == null || tls.certificate() == null) {
			throw source.invalid("asks for EXTERNAL authentication without a client certificate",
					"Use amqps:// with certfile= and keyfile= naming the client's PEM files.");
		}
		return true;
	}

	private static @Nullable Duration heartbeat(ResourceUrl source, ResourceUrl url) {
		Integer seconds = number(source, url, "heartbeat", "a number of seconds");
		if (seconds == null) {
			return null;
		}
		return positive(source, url, Duration.ofSeconds(seconds), "heartbeat", "a number of seconds such as 30",
				"attach.amqp.heartbeat");
	}

	private static @Nullable Duration connectionTimeout(ResourceUrl source, ResourceUrl url) {
		Integer millis = number(source, url, "connection_timeout", "a number of milliseconds");
		if (millis == null) {
			return null;
		}
		return positive(source, url, Duration.ofMillis(millis), "connection_timeout",
				"a number of milliseconds such as 5000", "attach.amqp.connect-timeout");
	}

	private static @Nullable Integer channelMax(ResourceUrl source, ResourceUrl url) {
		Integer channels = number(source, url, "channel_max", "a number of channels");
		if (channels != null && channels > 65535) {
			throw source.invalid("has channel_max=" + channels + ", more than AMQP allows",
					"Give a number from 1 to 65535, or 0 for the broker's limit.");
		}
		return channels;
	}

	private static Duration positive(ResourceUrl source, ResourceUrl url, Duration value, String name, String expected,
			String property) {
		return Timeouts.requirePositive(value, "the RabbitMQ client", expected, property,
				(problem, action) -> source.invalid("has " + name + "=" + url.parameter(name) + ", " + problem,
						action));
	}

	private static @Nullable Integer number(ResourceUrl source, ResourceUrl url, String name, String expected) {
		String value = url.parameter(name);
		if (value == null) {
			return null;
		}
		if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
			throw source.invalid("has a " + name + " parameter that is not a whole number",
					"Give " + name + " as " + expected + ".");
		}
		return Integer.parseInt(value);
	}

	private void checkAgrees(AmqpUrl next, List<ResourceUrl.Parameter> parameters,
			List<ResourceUrl.Parameter> nextParameters, int position) {
		String problem = null;
		if ((this.tls != null) != (next.tls != null)) {
			problem = "mixes amqp and amqps";
		}
		else if ((next.username != null || next.password != null) && (!Objects.equals(next.username, this.username)
				|| !Objects.equals(next.password, this.password))) {
			problem = "has other credentials in URL " + position + " than in the first";
		}
		else if (!next.virtualHost.equals(this.virtualHost)) {
			problem = "has another virtual host in URL " + position + " than in the first";
		}
		else if (!nextParameters.isEmpty() && !nextParameters.equals(parameters)) {
			problem = "has other parameters in URL " + position + " than in the first";
		}
		if (problem != null) {
			throw invalid(problem + ", but the brokers of one cluster share them",
					"List the brokers of one cluster with the same scheme, credentials, virtual host and parameters, "
							+ "such as amqps://user:secret@h1,h2:5671/vhost.");
		}
	}

	@Override
	public String toString() {
		return "AmqpUrl[" + ((this.tls != null) ? "amqps" : "amqp") + "://" + this.nodes + " vhost " + this.virtualHost
				+ "]";
	}

	/**
	 * The TLS settings of an {@code amqps} URL: the broker's certificate is verified, against the JVM's trust store
	 * or the {@code cacertfile}, unless {@code verify=verify_none} opts out.
	 *
	 * @param verifyPeer whether to verify the broker's certificate and host name
	 * @param caCertificates the PEM file of the certificates to trust, or {@code null} for the JVM's trust store
	 * @param certificate the PEM file of the client certificate, or {@code null}
	 * @param privateKey the PEM file of the client's private key, or {@code null}
	 * @param privateKeyPassword the private key's password, or {@code null}
	 */
	record Tls(boolean verifyPeer, @Nullable String caCertificates, @Nullable String certificate,
			@Nullable String privateKey, @Nullable String privateKeyPassword) {

		static Tls of(ResourceUrl source, ResourceUrl url, List<String> warnings) {
			String verify = url.parameter("verify");
			boolean verifyPeer = verify == null || verify.equals("verify_peer");
			if (verify != null && !verifyPeer && !verify.equals("verify_none")) {
				throw source.invalid("has verify=" + verify + ", which is neither verify_peer nor verify_none",
						"Leave verify out (the broker's certificate is verified) or trust its CA with cacertfile=.");
			}
			if (!verifyPeer) {
				warnings.add(url.setting() + " has verify=verify_none: the broker's certificate and host name are not "
						+ "verified, so whoever is in between can read the credentials and messages. Give the "
						+ "broker's CA as cacertfile=/path/ca.pem instead.");
			}
			String certificate = file(source, url, "certfile");
			String key = file(source, url, "keyfile");
			if ((certificate == null) != (key == null)) {
				throw source.invalid("has only one of certfile and keyfile",
						"Give both the client certificate (certfile=) and its private key (keyfile=), as PEM files.");
			}
			return new Tls(verifyPeer, file(source, url, "cacertfile"), certificate, key, url.parameter("password"));
		}

		@Override
		public String toString() {
			// The generated one would print the key's password.
			return "Tls[verifyPeer=" + this.verifyPeer + ", caCertificates=" + this.caCertificates + ", certificate="
					+ this.certificate + ", privateKey=" + this.privateKey + ", privateKeyPassword="
					+ ((this.privateKeyPassword != null) ? "******" : null) + "]";
		}

		private static @Nullable String file(ResourceUrl source, ResourceUrl url, String name) {
			String value = url.parameter(name);
			if (value == null) {
				return null;
			}
			try {
				if (!value.isEmpty() && Files.isReadable(Path.of(value))) {
					return Path.of(value).toAbsolutePath().toUri().toString();
				}
			}
			catch (InvalidPathException ex) {
				// Reported below, as a file that cannot be read.
			}
			throw source.invalid("has " + name + "=" + value + ", which is not a readable file",
					"Give the path of a PEM file the application can read.");
		}

	}

}
