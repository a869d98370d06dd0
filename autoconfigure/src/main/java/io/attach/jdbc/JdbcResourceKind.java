package io.attach.jdbc;

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
			.replacesBootCheck("db"));
	}

}
