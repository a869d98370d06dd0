package io.attach.jdbc;

import java.sql.SQLException;
import java.util.Optional;

import io.attach.core.AttachedResource;
import io.attach.core.ConnectionProblem;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceKind;

/**
 * The {@code database} resource: a relational database reached through JDBC, from {@code DATABASE_URL}.
 *
 * @author attach
 */
final class JdbcResourceKind extends ResourceKind {

	JdbcResourceKind() {
		super(define("jdbc", "database")
			// Heroku's MySQL add-ons set their own variable, read when DATABASE_URL is not set.
			.variables("DATABASE_URL", "JAWSDB_URL", "JAWSDB_MARIA_URL", "CLEARDB_DATABASE_URL")
			.schemes(DatabaseSchemes.all())
			// Readiness waits for the database: without it, nearly every request fails.
			.readiness(ReadinessRole.REQUIRED)
			// postgres://app@db is the user app, as the drivers read it.
			.loneTokenIsUserName()
			.guarded()
			.replacesBootCheck("db")
			.failures(SQLException.class.getName())
			.connectionDetails("org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails",
					"io.attach.jdbc.DatabaseUrlJdbcConnectionDetails")
			.standIn("Spring Boot's DataSource, an embedded database such as H2 when one is on the classpath"));
	}

	@Override
	public Optional<ConnectionProblem> explain(Throwable failure, AttachedResource resource) {
		for (Throwable cause : ConnectionProblem.causes(failure)) {
			if (cause instanceof SQLException sql) {
				Optional<ConnectionProblem> problem = explain(sql, resource);
				if (problem.isPresent()) {
					return problem;
				}
			}
		}
		return Optional.empty();
	}

	private static Optional<ConnectionProblem> explain(SQLException failure, AttachedResource resource) {
		String setting = resource.setting();
		String state = (failure.getSQLState() != null) ? failure.getSQLState() : "";
		// PostgreSQL, MariaDB and MySQL's words when TLS is asked for and the server has none.
		if (ConnectionProblem.says(failure, "does not support ssl", "ssl not enabled in the server",
				"ssl connection required, but not supported")) {
			return problem("the server does not offer TLS, which " + setting + " asks for",
					"Turn TLS on in the database server, or, only where clear text cannot be overheard, say so in "
							+ setting + " (sslmode=disable for PostgreSQL, ssl-mode=DISABLED for MySQL).");
		}
		if (ConnectionProblem.says(failure, "pg_hba.conf")) {
			return problem("the server's pg_hba.conf refuses this client (" + (state.isEmpty() ? "no state" : state)
					+ "); it may accept TLS connections only, or not this user or database",
					"Ask for TLS in " + setting + " (sslmode=verify-full), or have the server's pg_hba.conf admit "
							+ "this client.");
		}
		if (state.equals("28P01") || state.equals("28000") || failure.getErrorCode() == 1045) {
			return problem("the server rejected the credentials of " + user(resource) + " (SQLState " + state + ")",
					"Correct the user name and password in " + setting
							+ " (a password holding @ : / ? # or % is written percent-encoded).");
		}
		if (state.equals("3D000") || failure.getErrorCode() == 1049) {
			// A jdbc: URL's path holds its query, and the query may hold the password: named only from a URL's path.
			String name = resource.url().opaque() ? "" : " '" + resource.url().path() + "'";
			return problem("the database" + name + " does not exist on the server",
					"Create it (CREATE DATABASE), or correct the database name, the path of " + setting + ".");
		}
		return Optional.empty();
	}

	// The user as the logged URL shows it: a user name that is really the password is masked there, and left out here.
	private static String user(AttachedResource resource) {
		String user = resource.url().username();
		if (user == null || resource.url().opaque() || !resource.displayUrl().contains("//" + user + "@")
				&& !resource.displayUrl().contains("//" + user + ":")) {
			return "the URL's user";
		}
		return "user '" + user + "'";
	}

	private static Optional<ConnectionProblem> problem(String cause, String fix) {
		return Optional.of(new ConnectionProblem(cause, fix));
	}

}
