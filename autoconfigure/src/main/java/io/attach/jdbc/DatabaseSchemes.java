package io.attach.jdbc;

import java.util.Set;

/**
 * The schemes {@code DATABASE_URL} is written with, by the protocol they speak, as the URL dialects spell them
 * (dj-database-url, django-environ, node-postgres, SQLAlchemy, Rails, Doctrine).
 *
 * @author attach
 */
final class DatabaseSchemes {

	/**
	 * Schemes of PostgreSQL and the databases that speak its protocol (CockroachDB, TimescaleDB).
	 */
	static final Set<String> POSTGRES = Set.of("postgres", "postgresql", "pgsql", "postgis", "psql", "pg",
			"cockroachdb", "cockroach", "timescale", "timescalegis");

	/**
	 * Schemes of MySQL, read by MySQL Connector/J when present, else by MariaDB Connector/J.
	 */
	static final Set<String> MYSQL = Set.of("mysql", "mysql2", "mysqlgis", "mysql-connector");

	/**
	 * The scheme of MariaDB, read by MariaDB Connector/J.
	 */
	static final String MARIADB = "mariadb";

	// CockroachDB speaks PostgreSQL's protocol on a port of its own.
	private static final int COCKROACHDB_PORT = 26257;

	private DatabaseSchemes() {
	}

	static boolean isPostgres(String scheme) {
		return POSTGRES.contains(scheme);
	}

	/**
	 * Tells whether a scheme is MySQL's or MariaDB's, whose URL dialects share their TLS parameters.
	 * @param scheme the scheme
	 * @return whether it is
	 */
	static boolean isMysqlOrMariadb(String scheme) {
		return MYSQL.contains(scheme) || MARIADB.equals(scheme);
	}

	/**
	 * Returns the port of a host given without one, when it is not the driver's own default.
	 * @param scheme the scheme
	 * @return the port, or 0 to leave it to the driver
	 */
	static int defaultPort(String scheme) {
		return scheme.startsWith("cockroach") ? COCKROACHDB_PORT : 0;
	}

}
