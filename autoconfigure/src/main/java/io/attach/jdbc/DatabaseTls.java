package io.attach.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceUrl;
import org.jspecify.annotations.Nullable;

/**
 * The TLS parameters of a {@code DATABASE_URL} in the dialects that hand them out (libpq and node-postgres for
 * PostgreSQL, the MySQL clients for MySQL and MariaDB), translated to what the JDBC driver reads with the same
 * meaning, or refused when the driver cannot honour them: never passed on to be ignored or read as something weaker.
 *
 * @param consumed the URL's parameters read here, left out of the JDBC URL
 * @param parameters the driver's parameters that replace them
 * @author attach
 */
record DatabaseTls(Set<String> consumed, List<String> parameters) {

	/**
	 * The property that turns certificate verification off.
	 */
	static final String VERIFY_PEER = "attach.jdbc.verify-peer";

	// Parameters that say something about TLS, in the URL's dialects or the drivers' own.
	private static final Set<String> POSTGRES_TLS = Set.of("sslmode", "ssl", "sslfactory");

	private static final Pattern LOOPBACK = Pattern.compile("localhost|127\\.\\d+\\.\\d+\\.\\d+|::1|\\[::1]");

	// In a fixed order: errors and the mode read do not depend on a set's iteration order.
	private static final List<String> MYSQL_MODE = List.of("ssl-mode", "ssl_mode", "sslmode");

	private static final Set<String> MYSQL_CA = Set.of("ssl-ca", "ssl_ca", "sslca");

	// The MySQL client's TLS settings: its modes, its CA file, and ssl.
	private static final Set<String> MYSQL_CLIENT_TLS = union(MYSQL_MODE, MYSQL_CA, List.of("ssl"));

	private static final Set<String> MYSQL_TLS = union(MYSQL_CLIENT_TLS,
			List.of("sslMode", "useSSL", "useSsl", "requireSSL"));

	// The drivers' own TLS settings, which the MySQL client's must not be mixed with.
	private static final Set<String> DRIVER_TLS = Set.of("sslMode", "serverSslCert", "useSSL", "useSsl", "requireSSL",
			"verifyServerCertificate", "trustCertificateKeyStoreUrl");

	// Modes that encrypt without verifying the server (libpq/PgJDBC and MySQL spellings).
	private static final Set<String> UNVERIFIED = Set.of("allow", "prefer", "require", "preferred", "required",
			"trust");

	// MySQL's modes, weakest first, and what MariaDB Connector/J calls each (PREFERRED it has not: it falls back to
	// clear text).
	private static final List<String> MYSQL_MODES = List.of("DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA",
			"VERIFY_IDENTITY");

	private static final Map<String, String> MARIADB_MODES = Map.of("DISABLED", "disable", "REQUIRED", "trust",
			"VERIFY_CA", "verify-ca", "VERIFY_IDENTITY", "verify-full");

	/**
	 * Reads the TLS parameters of a URL for a driver.
	 * @param url the URL
	 * @param subprotocol the driver's JDBC subprotocol: {@code postgresql}, {@code mysql} or {@code mariadb}
	 * @return the translation
	 * @throws io.attach.core.InvalidResourceUrlException if the driver cannot honour what the URL asks for
	 */
	static DatabaseTls of(ResourceUrl url, String subprotocol) {
		return subprotocol.equals("postgresql") ? postgres(url) : mysql(url, subprotocol.equals("mariadb"));
	}

	/**
	 * Reads a URL for a driver under {@code attach.jdbc.verify-peer=false}: TLS required without verifying the
	 * server's certificate, whatever the URL asks for, as platforms that own the URL and sign with a CA of their own
	 * (Heroku Postgres) document; a URL that turns TLS off, or sets the driver's own TLS settings, is refused.
	 * @param url the URL
	 * @param subprotocol the driver's JDBC subprotocol
	 * @return the translation
	 * @throws io.attach.core.InvalidSettingException if the URL turns TLS off or sets the driver's TLS settings
	 */
	static DatabaseTls withoutVerification(ResourceUrl url, String subprotocol) {
		boolean postgres = subprotocol.equals("postgresql");
		// The setting's name for the messages, never the URL.
		String setting = url.setting();
		DatabaseTls asked = of(url, subprotocol);
		Set<String> read = postgres ? Set.of("sslmode", "ssl", "sslrootcert") : MYSQL_CLIENT_TLS;
		Set<String> consumed = new LinkedHashSet<>(asked.consumed());
		for (String name : url.parametersOtherThan(Set.of())) {
			if (read.contains(name)) {
				consumed.add(name);
			}
			else if (postgres ? name.equals("sslfactory") : isDriverTls(name)) {
				throw new InvalidSettingException(VERIFY_PEER, "is false, but " + setting + " sets the driver's"
						+ " own TLS setting '" + name + "'", "Remove one of the two.");
			}
		}
		boolean off = asked.parameters().stream().anyMatch((parameter) -> parameter.equals("sslMode=DISABLED")
				|| parameter.equals("sslMode=disable") || parameter.equals("sslmode=disable"))
				|| "disable".equals(url.parameter("sslmode"));
		if (off) {
			throw new InvalidSettingException(VERIFY_PEER, "is false, which asks for TLS, but " + setting
					+ " turns TLS off", "Remove one of the two.");
		}
		String mode = postgres ? "sslmode=require" : subprotocol.equals("mariadb") ? "sslMode=trust"
				: "sslMode=REQUIRED";
		return new DatabaseTls(Set.copyOf(consumed), List.of(mode));
	}

	/**
	 * Returns the startup warning for a URL that reaches a database on another host without asking for TLS at all:
	 * PgJDBC then falls back to clear text when the server offers no TLS, and the MySQL drivers may not try it.
	 * @param url the URL
	 * @return the warning, naming the setting and the host
	 */
	static Optional<String> unencryptedWarning(ResourceUrl url) {
		boolean postgres = DatabaseSchemes.isPostgres(url.scheme());
		boolean mysql = DatabaseSchemes.isMysqlOrMariadb(url.scheme());
		if ((!postgres && !mysql) || url.opaque()
				|| url.hosts().stream().allMatch((host) -> LOOPBACK.matcher(host.host()).matches())) {
			return Optional.empty();
		}
		Set<String> tls = postgres ? POSTGRES_TLS : MYSQL_TLS;
		if (url.parameters().stream().anyMatch((parameter) -> tls.contains(parameter.name()))) {
			return Optional.empty();
		}
		String host = url.hosts().stream().filter((candidate) -> !LOOPBACK.matcher(candidate.host()).matches())
			.findFirst()
			.orElseThrow()
			.host();
		return Optional.of(url.setting() + " reaches " + host + " without asking for TLS, so the connection and its"
				+ " password may cross the network unencrypted. Add "
				+ (postgres ? "?sslmode=verify-full&sslrootcert=/path/to/ca.pem (or sslmode=require)"
						: "?ssl-mode=VERIFY_IDENTITY (or REQUIRED)")
				+ " to it, or " + (postgres ? "sslmode=disable" : "ssl-mode=DISABLED")
				+ " to say that clear text is meant.");
	}

	private static DatabaseTls postgres(ResourceUrl url) {
		String mode = url.parameter("sslmode");
		if ("no-verify".equals(mode)) {
			throw url.invalid("has sslmode=no-verify, node-postgres' spelling that PgJDBC does not know",
					"Use sslmode=require to encrypt without verifying the server's certificate, or sslmode=verify-full"
							+ " with sslrootcert=/path/to/ca.pem to verify it.");
		}
		String ssl = url.parameter("ssl");
		if ("require".equals(mode) && url.parameter("sslrootcert") != null) {
			// libpq verifies the CA when one is given with require; PgJDBC's require never verifies.
			return new DatabaseTls((ssl != null) ? Set.of("sslmode", "ssl") : Set.of("sslmode"),
					List.of("sslmode=verify-ca"));
		}
		if (ssl != null && mode == null) {
			// node-postgres reads ssl=true or 1 as verified TLS and 0 or false as none; PgJDBC reads only "true" (and
			// "1" or "false" as its default, prefer), so the intent is spelled out in sslmode, never weaker than
			// libpq's reading of ssl=true (require).
			return new DatabaseTls(Set.of("ssl"), List.of(flag(url, "ssl", ssl) ? "sslmode=verify-full"
					: "sslmode=disable"));
		}
		return new DatabaseTls(Set.of(), List.of());
	}

	private static DatabaseTls mysql(ResourceUrl url, boolean mariadb) {
		Set<String> consumed = new LinkedHashSet<>();
		String mode = null;
		for (String name : MYSQL_MODE) {
			String value = url.parameter(name);
			if (value != null) {
				String read = mysqlMode(url, name, value);
				if (mode != null && !mode.equals(read)) {
					throw url.invalid("gives two different TLS modes (" + String.join(", ", consumed) + ", " + name
							+ ")", "Keep one ssl-mode.");
				}
				consumed.add(name);
				mode = read;
			}
		}
		String ssl = url.parameter("ssl");
		if (ssl != null) {
			// Never weaker than asked: TLS with the server's certificate and name verified.
			String asked = flag(url, "ssl", ssl) ? "VERIFY_IDENTITY" : "DISABLED";
			if (mode != null && !mode.equals(asked)) {
				throw url.invalid("gives ssl=" + ssl + " and a different TLS mode (" + String.join(", ", consumed)
						+ ")", "Keep ssl-mode alone.");
			}
			consumed.add("ssl");
			mode = asked;
		}
		ResourceUrl.Parameter ca = null;
		for (ResourceUrl.Parameter parameter : url.parameters()) {
			if (MYSQL_CA.contains(parameter.name())) {
				consumed.add(parameter.name());
				ca = parameter;
			}
		}
		if (consumed.isEmpty()) {
			return new DatabaseTls(Set.of(), List.of());
		}
		List<String> driverOwn = url.parametersOtherThan(Set.of()).stream().filter(DatabaseTls::isDriverTls).toList();
		if (!driverOwn.isEmpty()) {
			// Both drivers keep the last of two settings: which one wins would depend on their order.
			throw url.invalid("mixes the MySQL client's TLS settings (" + String.join(", ", consumed)
					+ ") with the driver's own (" + String.join(", ", driverOwn) + ")", "Keep one of the two.");
		}
		if (ca != null && !mariadb) {
			throw url.invalid("has " + ca.name() + ", a CA file, which MySQL Connector/J cannot read",
					"Put the CA in a trust store and give trustCertificateKeyStoreUrl=file:/path/to/truststore.p12"
							+ "&sslMode=VERIFY_CA instead, or use the MariaDB driver, which reads the PEM file.");
		}
		if (ca != null && (mode == null || MYSQL_MODES.indexOf(mode) < MYSQL_MODES.indexOf("VERIFY_CA"))) {
			if ("DISABLED".equals(mode)) {
				throw url.invalid("gives a CA file and turns TLS off", "Remove one of the two.");
			}
			// As the MySQL client does: a CA given means the certificate is checked against it.
			mode = "VERIFY_CA";
		}
		List<String> parameters = new ArrayList<>();
		if (mode != null) {
			parameters.add("sslMode=" + (mariadb ? mariadbMode(url, mode) : mode));
		}
		if (ca != null) {
			// Raw, as every other parameter: decoded, an encoded '&' would start a parameter of its own.
			parameters.add("serverSslCert=" + ca.rawValue());
		}
		return new DatabaseTls(Set.copyOf(consumed), parameters);
	}

	/**
	 * Returns the startup warning for a URL whose TLS does not verify the server's certificate, if so: an opt-out
	 * like any other, which anyone on the path can exploit.
	 * @param url the URL
	 * @return the warning, naming the setting and the parameter
	 */
	static Optional<String> unverifiedWarning(ResourceUrl url) {
		String mode = DatabaseSchemes.isPostgres(url.scheme()) ? url.parameter("sslmode")
				: DatabaseSchemes.isMysqlOrMariadb(url.scheme()) ? mysqlModeOf(url) : null;
		if (mode == null || !UNVERIFIED.contains(mode.toLowerCase(Locale.ROOT).replace('_', '-'))
				|| (mode.equals("require") && url.parameter("sslrootcert") != null)) {
			return Optional.empty();
		}
		return Optional.of(url.setting() + " asks for TLS without verifying the server's certificate (" + mode
				+ "): the connection is encrypted, but anyone on the path can pose as the database and read its"
				+ " password. Verify it with " + (DatabaseSchemes.isPostgres(url.scheme())
						? "sslmode=verify-full and sslrootcert=/path/to/ca.pem" : "ssl-mode=VERIFY_IDENTITY")
				+ " where the provider hands out its CA.");
	}

	private static @Nullable String mysqlModeOf(ResourceUrl url) {
		for (String name : MYSQL_MODE) {
			if (url.parameter(name) != null) {
				return url.parameter(name);
			}
		}
		return url.parameter("sslMode");
	}

	@SafeVarargs
	private static Set<String> union(java.util.Collection<String>... parts) {
		Set<String> union = new LinkedHashSet<>();
		for (java.util.Collection<String> part : parts) {
			union.addAll(part);
		}
		return Set.copyOf(union);
	}

	// MariaDB Connector/J reads names in any case: "SSLMODE" is its sslMode, unless spelt as the MySQL client's.
	private static boolean isDriverTls(String name) {
		return DRIVER_TLS.contains(name) || (!MYSQL_CLIENT_TLS.contains(name)
				&& DRIVER_TLS.stream().anyMatch((own) -> own.equalsIgnoreCase(name)));
	}

	private static String mysqlMode(ResourceUrl url, String name, String value) {
		String mode = value.toUpperCase(Locale.ROOT).replace('-', '_');
		if (!MYSQL_MODES.contains(mode)) {
			throw url.invalid("has " + name + "=" + value + ", which is not a MySQL TLS mode",
					"Use one of " + MYSQL_MODES + ".");
		}
		return mode;
	}

	private static String mariadbMode(ResourceUrl url, String mode) {
		String translated = MARIADB_MODES.get(mode);
		if (translated == null) {
			throw url.invalid("asks for TLS mode " + mode + ", which falls back to clear text; the MariaDB driver has"
					+ " no such mode", "Use ssl-mode=REQUIRED to require TLS, or VERIFY_IDENTITY to verify the server"
							+ " too.");
		}
		return translated;
	}

	private static boolean flag(ResourceUrl url, String name, @Nullable String value) {
		if ("true".equalsIgnoreCase(value) || "1".equals(value)) {
			return true;
		}
		if ("false".equalsIgnoreCase(value) || "0".equals(value)) {
			return false;
		}
		throw url.invalid("has " + name + "=" + value + ", which is neither true nor false",
				"Use " + name + "=true, or leave it out.");
	}

}
