package io.attach.core;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLException;

import org.jspecify.annotations.Nullable;

/**
 * Why a backing service could not be used, in one line, and what to do about it, read off a failure's causes; the
 * network and TLS failures every kind shares are read here, a kind adds its own in {@link ResourceKind#explain}.
 *
 * @param cause what went wrong, one line, never a secret
 * @param fix what to do about it
 * @author attach
 */
public record ConnectionProblem(String cause, String fix) {

	/**
	 * The cause of a server that answered a TLS handshake in plain text.
	 */
	public static final String PLAIN_TEXT_ON_TLS = "the server answered in plain text on a TLS connection";

	private static final String NO_ANSWER = "no answer";

	private static final int MAX_CAUSES = 32;

	/**
	 * Reads a failure's causes for a network or TLS failure.
	 * @param failure what the client threw
	 * @param server the host and port tried, named in the cause, or {@code null} where the caller does not know them
	 * @param setting the setting the URL came from, named in the fix
	 * @return the problem, or empty when no cause is a network or TLS failure
	 */
	public static Optional<ConnectionProblem> of(Throwable failure, @Nullable String server, String setting) {
		for (Throwable cause : causes(failure)) {
			Optional<ConnectionProblem> problem = read(cause, server, setting);
			if (problem.isPresent()) {
				return problem;
			}
		}
		return Optional.empty();
	}

	/**
	 * Returns this problem as seen on a connection that began with a TLS handshake, where no answer is how a server
	 * that speaks plain text on that port answers.
	 * @param setting the setting the URL came from, named in the fix
	 * @return the problem, with that said when it is no answer in time
	 */
	public ConnectionProblem onTls(String setting) {
		if (!this.cause.startsWith(NO_ANSWER)) {
			return this;
		}
		return new ConnectionProblem(this.cause + " to the TLS handshake: the server may speak plain text on that port",
				"Use the scheme without TLS in " + setting + " if the server has no TLS there, or the port where it "
						+ "speaks TLS; else check that it is up and that no firewall drops the connection.");
	}

	/**
	 * Returns the failure and its causes, outermost first, stopping at a cycle.
	 * @param failure the failure
	 * @return the chain
	 */
	public static List<Throwable> causes(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable cause = failure; cause != null && !chain.contains(cause)
				&& chain.size() < MAX_CAUSES; cause = cause.getCause()) {
			chain.add(cause);
		}
		return chain;
	}

	/**
	 * Tells whether a message says, in any case, any of the given phrases.
	 * @param failure the failure whose message to read
	 * @param phrases the phrases, lower case
	 * @return whether the message holds one of them
	 */
	public static boolean says(Throwable failure, String... phrases) {
		String message = failure.getMessage();
		if (message == null) {
			return false;
		}
		String lower = message.toLowerCase(Locale.ROOT);
		for (String phrase : phrases) {
			if (lower.contains(phrase)) {
				return true;
			}
		}
		return false;
	}

	private static Optional<ConnectionProblem> read(Throwable cause, @Nullable String server, String setting) {
		if (cause instanceof UnknownHostException) {
			return problem("the host name" + of(server) + " does not resolve",
					"Correct the host in " + setting + ", or check this machine's DNS.");
		}
		if (isTimeout(cause)) {
			return problem(NO_ANSWER + ((server != null) ? " from " + server : "") + " in time",
					"Check that the server is up and that no firewall drops the connection; a server that accepts "
							+ "TLS only may also wait in silence for a plain-text client: then use the TLS scheme in "
							+ setting + ".");
		}
		if (cause instanceof ConnectException) {
			return problem("connection refused: nothing listens on " + ((server != null) ? server : "that port"),
					"Start the server, or correct the host and port in " + setting + ".");
		}
		if (cause instanceof NoRouteToHostException) {
			return problem("no route to " + ((server != null) ? server : "the host"),
					"Correct the host in " + setting + ", or check the network.");
		}
		if (isPlainTextOnTls(cause)) {
			return problem(PLAIN_TEXT_ON_TLS + in(server), "Use the port where the server speaks TLS, or the plain "
					+ "scheme in " + setting + " if this server offers STARTTLS or no TLS at all.");
		}
		if (cause instanceof SSLException && says(cause, "received fatal alert")) {
			return problem("the server refused the TLS handshake" + in(server) + ": " + cause.getMessage(),
					"Check what the server requires of clients (a client certificate, a TLS version) against "
							+ setting + ".");
		}
		if (cause instanceof SSLException && hasCertificateFailure(cause)) {
			return problem("the certificate" + of(server) + " is not trusted or does not name the host",
					"Give the server a certificate for the host in " + setting + " signed by a trusted CA, or "
							+ "trust its CA (javax.net.ssl.trustStore).");
		}
		if (cause instanceof SocketException && says(cause, "connection reset", "broken pipe")) {
			return problem("the server closed the connection" + in(server), "Check that " + setting
					+ " names the right port and scheme: a TLS port resets a plain-text client.");
		}
		return Optional.empty();
	}

	private static String of(@Nullable String server) {
		return (server != null) ? " of " + server : "";
	}

	private static String in(@Nullable String server) {
		return (server != null) ? " (" + server + ")" : "";
	}

	private static Optional<ConnectionProblem> problem(String cause, String fix) {
		return Optional.of(new ConnectionProblem(cause, fix));
	}

	private static boolean isPlainTextOnTls(Throwable cause) {
		// The JDK's words for a record that is not TLS, and Netty's.
		return (cause instanceof SSLException && says(cause, "unrecognized ssl message", "plaintext connection"))
				|| simpleName(cause).equals("NotSslRecordException");
	}

	private static boolean hasCertificateFailure(Throwable failure) {
		for (Throwable cause : causes(failure)) {
			if (cause instanceof CertificateException || simpleName(cause).startsWith("CertPath")
					|| says(cause, "pkix path", "subject alternative name", "certificate")) {
				return true;
			}
		}
		return false;
	}

	// Connecting and logging in, not a statement that ran past its time (SQLTimeoutException, a query timeout).
	private static boolean isTimeout(Throwable cause) {
		String name = simpleName(cause);
		return name.equals("SocketTimeoutException") || name.contains("ConnectTimeout")
				|| name.contains("HandshakeTimeout") || says(cause, "timed out", "timeout when connecting");
	}

	private static String simpleName(Throwable cause) {
		return cause.getClass().getSimpleName();
	}

}
