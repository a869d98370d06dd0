package io.attach.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A backing-service URL split into its parts, with user info decoded exactly once.
 * <p>
 * A value that is a comma-separated list of URLs of one scheme, the nodes of a cluster
 * ({@code amqp://u:p@h1/vh,amqp://u:p@h2/vh}), is read as its first URL, the later ones repeating its credentials or
 * leaving them out; {@link #urls()} gives each of them to a kind that takes a list, and the redacted form masks them
 * all. {@link #toString()} gives the redacted form, so a {@code ResourceUrl} can be logged.
 *
 * @param setting the variable or property the URL came from, named in every error
 * @param value the URL as given
 * @param scheme the scheme, lower case
 * @param username the decoded user name, or {@code null}
 * @param password the decoded password, or {@code null}
 * @param hosts the hosts of the authority, empty for an opaque URL or an empty authority
 * @param path the raw path without its leading {@code /}, or the scheme-specific part of an opaque URL
 * @param parameters the query parameters in order, with raw values
 * @param fragment the raw fragment, or {@code null}
 * @param opaque whether the URL has no {@code //} authority, as in {@code h2:mem:test}
 * @param list the URLs of a comma-separated list, each read on its own, the first giving the other components; empty
 * for a single URL
 * @author attach
 */
public record ResourceUrl(String setting, String value, String scheme, @Nullable String username,
		@Nullable String password, List<HostAndPort> hosts, String path, List<Parameter> parameters,
		@Nullable String fragment, boolean opaque, List<ResourceUrl> list) {

	private static final Pattern TLS_PARAMETER = Pattern.compile("(?i)ssl|tls|secure");

	/**
	 * Creates a parsed URL, keeping copies of its lists.
	 * @param setting the variable or property the URL came from
	 * @param value the URL as given
	 * @param scheme the scheme, lower case
	 * @param username the decoded user name, or {@code null}
	 * @param password the decoded password, or {@code null}
	 * @param hosts the hosts of the authority
	 * @param path the raw path
	 * @param parameters the query parameters
	 * @param fragment the raw fragment, or {@code null}
	 * @param opaque whether the URL has no authority
	 * @param list the URLs of a list, or empty
	 */
	public ResourceUrl {
		hosts = List.copyOf(hosts);
		parameters = List.copyOf(parameters);
		list = List.copyOf(list);
	}

	/**
	 * Parses a URL.
	 * @param setting the variable or property the URL came from, such as {@code DATABASE_URL}
	 * @param value the URL
	 * @return the parsed URL
	 * @throws InvalidResourceUrlException if the URL is malformed
	 */
	public static ResourceUrl of(String setting, String value) {
		return new ResourceUrlParser(setting, value).parse();
	}

	/**
	 * Tells whether the value is a comma-separated list of URLs, which only a kind that reads {@link #urls()} takes.
	 * @return whether the value lists several URLs
	 */
	public boolean isList() {
		return !this.list.isEmpty();
	}

	/**
	 * Returns the URLs of a list, each read on its own with its own value, or this URL alone.
	 * @return the URLs, the first giving this URL's components
	 */
	public List<ResourceUrl> urls() {
		return isList() ? this.list : List.of(this);
	}

	/**
	 * Returns the decoded value of the last query parameter with the given name.
	 * @param name the parameter name, case-sensitive
	 * @return the decoded value, or {@code null} when absent
	 */
	public @Nullable String parameter(String name) {
		String result = null;
		for (Parameter parameter : this.parameters) {
			if (parameter.name().equals(name)) {
				result = parameter.decodedValue();
			}
		}
		return result;
	}

	/**
	 * Returns the names of the query parameters that a reader of this URL does not read, in order, each once: those
	 * ignored, which a startup warning names so that a misspelt or foreign parameter does not pass silently.
	 * @param read the names the reader reads, case-sensitive
	 * @return the other names
	 */
	public List<String> parametersOtherThan(Set<String> read) {
		return this.parameters.stream()
			.map(Parameter::name)
			.filter((name) -> !read.contains(name) && !mayBePassword(name))
			.distinct()
			.toList();
	}

	/**
	 * Tells whether a query parameter may be the rest of a password rather than a parameter: it has no value and
	 * follows a password parameter, as "b" does in {@code ?password=a&b}, a password holding a raw {@code &}.
	 * Such a name is never shown, nor passed on.
	 * @param name the parameter's name
	 * @return whether it may be part of a password
	 */
	public boolean mayBePassword(String name) {
		for (int i = 1; i < this.parameters.size(); i++) {
			Parameter parameter = this.parameters.get(i);
			if (parameter.name().equals(name) && parameter.rawValue().isEmpty()
					&& UrlRedactor.isSecretName(this.parameters.get(i - 1).name())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Refuses a TLS parameter that a reader of this URL does not read, such as {@code ssl=true} on a scheme without
	 * TLS or nodemailer's {@code requireTLS}: ignored, it would leave the connection weaker than its writer meant.
	 * @param read the names the reader reads, case-sensitive
	 * @param action how to ask for TLS in the reader's terms
	 * @throws InvalidResourceUrlException naming the first such parameter
	 */
	public void refuseUnreadTlsParameters(Set<String> read, String action) {
		for (String name : parametersOtherThan(read)) {
			if (TLS_PARAMETER.matcher(name).find()) {
				throw invalid("has the TLS parameter '" + name + "', which attach does not read", action);
			}
		}
	}

	/**
	 * Returns the startup warning for the query parameters that a reader of this URL does not read, if any.
	 * @param read the names the reader reads, case-sensitive
	 * @return the warning, naming the setting and the parameters but no value
	 */
	public Optional<String> ignoredParametersWarning(Set<String> read) {
		List<String> ignored = parametersOtherThan(read);
		if (ignored.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(this.setting + " has the parameter(s) " + ignored + ", which attach does not read: they are"
				+ " ignored. It reads " + new TreeSet<>(read) + "; remove the others, or check their spelling.");
	}

	/**
	 * Tells whether a TLS peer's certificate is to be verified: yes, unless the URL opts out with
	 * {@code ?ssl_cert_reqs=none} or {@code ?verifyPeer=false} (or {@code none}), the forms providers hand out.
	 * @return whether to verify the peer
	 */
	public boolean verifyPeer() {
		String certificates = parameter("ssl_cert_reqs");
		String verify = parameter("verifyPeer");
		return !"none".equalsIgnoreCase(certificates) && !"false".equalsIgnoreCase(verify)
				&& !"none".equalsIgnoreCase(verify);
	}

	/**
	 * Creates an error about this URL that names its setting.
	 * @param problem what is wrong
	 * @param action what to do about it
	 * @return the exception to throw
	 */
	public InvalidResourceUrlException invalid(String problem, String action) {
		return new InvalidResourceUrlException(this.setting, this.value, problem, action);
	}

	/**
	 * Returns the URL with the password replaced by {@code ****}, fit for logs and endpoints. What else in the user
	 * info is secret depends on the setting, never the scheme: see {@link UrlRedactor}.
	 * @return the redacted URL
	 */
	public String redacted() {
		if (isList()) {
			return this.list.stream().map(ResourceUrl::redacted).collect(Collectors.joining(","));
		}
		if (this.opaque) {
			return UrlRedactor.redact(this.setting, this.value);
		}
		StringBuilder url = new StringBuilder(this.scheme).append("://");
		url.append(UrlRedactor.userInfo(this.setting, this.username, this.password));
		url.append(this.hosts.stream().map(HostAndPort::toString).collect(Collectors.joining(",")));
		url.append(this.path.isEmpty() ? "" : "/" + this.path);
		if (!this.parameters.isEmpty()) {
			url.append('?').append(UrlRedactor.redact(
					this.parameters.stream().map(Parameter::toString).collect(Collectors.joining("&"))));
		}
		// A '#' cut short a query ("…/db#x?password=…"): what follows it may hold a secret too; after a password
		// parameter, even one followed by names without a value, it may be the rest of the password
		// ("?password=ab#cd", "?password=ab&cd#ef").
		boolean afterSecret = this.parameters.stream().anyMatch((parameter) -> UrlRedactor.isSecretName(parameter.name()));
		url.append((this.fragment == null) ? ""
				: "#" + (afterSecret ? UrlRedactor.MASK : UrlRedactor.redactParameters(this.fragment)));
		return url.toString();
	}

	@Override
	public String toString() {
		return redacted();
	}

	/**
	 * One query parameter.
	 *
	 * @param name the decoded name
	 * @param rawValue the value as written, still percent-encoded; empty when the parameter has no {@code =}
	 */
	public record Parameter(String name, String rawValue) {

		/**
		 * Returns the value with percent-encoding removed.
		 * @return the decoded value
		 */
		public String decodedValue() {
			return PercentEncoding.decode(this.rawValue);
		}

		@Override
		public String toString() {
			return this.name + "=" + this.rawValue;
		}

	}

}
