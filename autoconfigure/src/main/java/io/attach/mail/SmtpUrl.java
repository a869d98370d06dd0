package io.attach.mail;

import io.attach.core.HostAndPort;
import io.attach.core.ResourceUrl;
import org.jspecify.annotations.Nullable;

/**
 * An {@code SMTP_URL}: {@code smtp://} (STARTTLS when the server offers it) or {@code smtps://} (implicit TLS),
 * with optional credentials.
 *
 * @param host the server host
 * @param port the server port
 * @param username the user name, or {@code null} to send without authentication
 * @param password the password, or {@code null}
 * @param implicitTls whether the connection starts with TLS ({@code smtps})
 * @param startTlsRequired whether a plain connection must be upgraded with STARTTLS or fail
 * @param verifyPeer whether to verify the server's certificate and host name
 * @author attach
 */
record SmtpUrl(String host, int port, @Nullable String username, @Nullable String password, boolean implicitTls,
		boolean startTlsRequired, boolean verifyPeer) {

	static final int DEFAULT_PORT = 25;

	static final int DEFAULT_TLS_PORT = 465;

	private static final String FORM = "Use smtp://[user:password@]host[:port] or smtps://[user:password@]host[:port]";

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
		if (url.username() != null && url.password() == null) {
			throw url.invalid("has a user name but no password", FORM + "; percent-encode an '@' as %40.");
		}
		boolean implicitTls = url.scheme().equals("smtps");
		boolean startTlsRequired = startTlsRequired(url);
		if (implicitTls && startTlsRequired) {
			throw url.invalid("asks for STARTTLS on an smtps URL, which starts with TLS already",
					"Use smtps://host:465 for implicit TLS, or smtp://host:587?starttls=required.");
		}
		HostAndPort server = url.hosts().get(0);
		return new SmtpUrl(server.host(), server.portOr(implicitTls ? DEFAULT_TLS_PORT : DEFAULT_PORT),
				url.username(), url.password(), implicitTls, startTlsRequired, url.verifyPeer());
	}

	/**
	 * Returns the JavaMail protocol name.
	 * @return {@code smtp} or {@code smtps}
	 */
	String protocol() {
		return this.implicitTls ? "smtps" : "smtp";
	}

	private static boolean startTlsRequired(ResourceUrl url) {
		String value = url.parameter("starttls");
		if (value == null || value.equalsIgnoreCase("optional")) {
			return false;
		}
		if (value.equalsIgnoreCase("required") || value.equalsIgnoreCase("true")) {
			return true;
		}
		throw url.invalid("has starttls=" + value + ", which is neither 'required' nor 'optional'",
				"Use ?starttls=required to refuse servers that do not offer STARTTLS.");
	}

	@Override
	public String toString() {
		return "SmtpUrl[" + protocol() + "://" + this.host + ":" + this.port + "]";
	}

}
