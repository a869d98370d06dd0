package io.attach.mail;

import java.util.Set;

import io.attach.core.HostAndPort;
import io.attach.core.ResourceUrl;
import org.jspecify.annotations.Nullable;

/**
 * An {@code SMTP_URL}: {@code smtps://} (implicit TLS) or {@code smtp://} with STARTTLS, which is required when the
 * URL has credentials and otherwise used when the server offers it; {@code ?starttls=optional} on a URL with
 * credentials lets them go in clear text to a server that offers no STARTTLS.
 *
 * @param host the server host
 * @param port the server port
 * @param username the user name, or {@code null} to send without authentication
 * @param password the password, or {@code null}
 * @param implicitTls whether the connection starts with TLS ({@code smtps})
 * @param startTlsRequired whether a plain connection must be upgraded with STARTTLS or fail
 * @param clearTextCredentialsAllowed whether the URL opts out of TLS for its credentials with
 * {@code ?starttls=optional}
 * @param verifyPeer whether to verify the server's certificate and host name
 * @author attach
 */
record SmtpUrl(String host, int port, @Nullable String username, @Nullable String password, boolean implicitTls,
		boolean startTlsRequired, boolean clearTextCredentialsAllowed, boolean verifyPeer) {

	static final int DEFAULT_PORT = 25;

	static final int DEFAULT_TLS_PORT = 465;

	static final int DEFAULT_SUBMISSION_PORT = 587;

	/**
	 * The query parameters read; any other is named in a startup warning.
	 */
	static final Set<String> PARAMETERS = Set.of("starttls", "tls", "ssl", "ssl_cert_reqs", "verifyPeer",
			"verify_peer");

	/**
	 * The schemes read: {@code smtps}, and {@code smtp+ssl} (Symfony, nodemailer), are TLS from the first byte, except
	 * {@code smtps} on port 587, where dj-email-url means STARTTLS; {@code smtp+tls}, {@code submission} and
	 * {@code submit} (dj-email-url; both port 587 by default) are {@code smtp} with STARTTLS required.
	 */
	static final String[] SCHEMES = { "smtp", "smtps", "smtp+ssl", "smtp+tls", "submission", "submit" };

	private static final String FORM = "Use smtp://[user:password@]host[:port] or smtps://[user:password@]host[:port]";

	/**
	 * Returns this URL with the server's certificate and host name not verified.
	 * @return the URL without peer verification
	 */
	SmtpUrl withoutPeerVerification() {
		return new SmtpUrl(this.host, this.port, this.username, this.password, this.implicitTls,
				this.startTlsRequired, this.clearTextCredentialsAllowed, false);
	}

	static SmtpUrl of(ResourceUrl url) {
		if (url.opaque() || url.hosts().isEmpty()) {
			throw url.invalid("has no host", FORM + ", such as smtp://apikey:secret@smtp.example.com:587.");
		}
		if (url.hosts().size() > 1 || url.hosts().get(0).isSocketPath()) {
			throw url.invalid("does not name one network host", FORM + ".");
		}
		if (!url.path().isEmpty()) {
			throw url.invalid("has a path, which SMTP has no use for",
					"Remove the path; percent-encode a '/' in the password as %2F.");
		}
		url.refuseUnreadTlsParameters(PARAMETERS,
				"Use smtps:// for implicit TLS, or ?starttls=required to require STARTTLS.");
		if (url.username() != null && url.password() == null) {
			throw url.invalid("has a user name but no password", FORM + "; percent-encode an '@' as %40.");
		}
		// dj-email-url and django-environ write smtps://…:587 for STARTTLS, which is what that port speaks: read so,
		// and required, it is as strong as TLS from the first byte, which no server on 587 would answer.
		boolean ssl = flag(url, "ssl");
		boolean startTlsScheme = url.scheme().equals("smtps") && !ssl
				&& Integer.valueOf(DEFAULT_SUBMISSION_PORT).equals(url.hosts().get(0).port());
		// Port 465 speaks TLS from the first byte (RFC 8314): Symfony and Laravel read smtp://…:465 so, and STARTTLS
		// there would wait for a greeting that never comes. An explicit TLS parameter still decides.
		boolean implicitPort = url.scheme().equals("smtp")
				&& Integer.valueOf(DEFAULT_TLS_PORT).equals(url.hosts().get(0).port()) && url.parameter("ssl") == null
				&& url.parameter("tls") == null && url.parameter("starttls") == null;
		boolean implicitTls = (url.scheme().equals("smtps") && !startTlsScheme) || url.scheme().equals("smtp+ssl")
				|| ssl || implicitPort;
		Boolean startTls = startTlsScheme ? Boolean.TRUE : startTls(url);
		if (implicitTls && Boolean.TRUE.equals(startTls)) {
			throw url.invalid("asks for STARTTLS on a connection that starts with TLS already (smtps, or ssl=true)",
					"Use smtps://host:465 for implicit TLS, or smtp://host:587?starttls=required.");
		}
		boolean credentials = url.username() != null && !implicitTls;
		// A man in the middle can strip STARTTLS from the server's answer: credentials need it required.
		boolean startTlsRequired = Boolean.TRUE.equals(startTls) || (credentials && startTls == null);
		HostAndPort server = url.hosts().get(0);
		int defaultPort = implicitTls ? DEFAULT_TLS_PORT : submission(url) ? DEFAULT_SUBMISSION_PORT : DEFAULT_PORT;
		return new SmtpUrl(server.host(), server.portOr(defaultPort),
				url.username(), url.password(), implicitTls, startTlsRequired,
				credentials && Boolean.FALSE.equals(startTls), url.verifyPeer() && !flagOff(url, "verify_peer"));
	}

	/**
	 * Returns the JavaMail protocol name.
	 * @return {@code smtp} or {@code smtps}
	 */
	String protocol() {
		return this.implicitTls ? "smtps" : "smtp";
	}

	/**
	 * Reads the {@code starttls} parameter.
	 * @param url the URL
	 * @return {@code true} for required, {@code false} for optional, {@code null} when not given
	 */
	private static @Nullable Boolean startTls(ResourceUrl url) {
		String value = url.parameter("starttls");
		// lettre writes tls=required or tls=opportunistic; Django and Symfony tls=True.
		String tls = url.parameter("tls");
		boolean opportunistic = "opportunistic".equalsIgnoreCase(tls);
		if (url.scheme().equals("smtp+tls") || submission(url) || "required".equalsIgnoreCase(tls)
				|| (!opportunistic && flag(url, "tls"))) {
			if (value != null && !value.equalsIgnoreCase("required") && !value.equalsIgnoreCase("true")) {
				throw url.invalid("asks for STARTTLS (" + url.scheme() + ", or tls=true) and has starttls=" + value,
						"Remove starttls, or use smtp:// with it.");
			}
			return true;
		}
		if (opportunistic) {
			if (value != null && !value.equalsIgnoreCase("optional")) {
				throw url.invalid("has tls=opportunistic and starttls=" + value, "Keep one of the two.");
			}
			return false;
		}
		if (value == null) {
			return null;
		}
		if (value.equalsIgnoreCase("optional")) {
			return false;
		}
		if (value.equalsIgnoreCase("required") || value.equalsIgnoreCase("true")) {
			return true;
		}
		throw url.invalid("has starttls=" + value + ", which is neither 'required' nor 'optional'",
				"Use ?starttls=required to refuse servers that do not offer STARTTLS.");
	}

	// Symfony's opt-out of certificate verification: verify_peer=0.
	private static boolean flagOff(ResourceUrl url, String name) {
		String value = url.parameter(name);
		return "0".equals(value) || "false".equalsIgnoreCase(value);
	}

	private static boolean submission(ResourceUrl url) {
		return url.scheme().equals("submission") || url.scheme().equals("submit");
	}

	/**
	 * Reads a yes-or-no parameter of the Django and Symfony mail URLs, such as {@code ?tls=True}.
	 * @param url the URL
	 * @param name the parameter
	 * @return whether it is given as true
	 */
	private static boolean flag(ResourceUrl url, String name) {
		String value = url.parameter(name);
		if (value == null || value.equalsIgnoreCase("false") || value.equals("0")) {
			return false;
		}
		if (value.equalsIgnoreCase("true") || value.equals("1")) {
			return true;
		}
		throw url.invalid("has " + name + "=" + value + ", which is neither true nor false",
				"Use ?" + name + "=true, or leave it out.");
	}

	@Override
	public String toString() {
		return "SmtpUrl[" + protocol() + "://" + this.host + ":" + this.port + "]";
	}

}
