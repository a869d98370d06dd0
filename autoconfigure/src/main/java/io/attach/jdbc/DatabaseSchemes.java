package io.attach.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * The schemes {@code DATABASE_URL} is written with, by the protocol they speak, as the URL dialects spell them
 * (dj-database-url, django-environ, node-postgres, Rails, Doctrine, and SQLAlchemy's {@code dialect+driver}, whose
 * Python driver means nothing to JDBC).
 *
 * @author attach
 */
final class DatabaseSchemes {

	/**
	 * Schemes of PostgreSQL and the databases that speak its protocol (CockroachDB, TimescaleDB).
	 */
	static final List<String> POSTGRES = List.of("postgres", "postgresql", "pgsql", "postgis", "psql", "pg",
			"cockroachdb", "cockroach", "timescale", "timescalegis", "postgresql+psycopg2", "postgresql+psycopg",
			"postgresql+asyncpg", "postgresql+pg8000", "cockroachdb+psycopg2", "cockroachdb+asyncpg");

	/**
	 * Schemes of MySQL, read by MySQL Connector/J when present, else by MariaDB Connector/J.
	 */
	static final List<String> MYSQL = List.of("mysql", "mysql2", "mysqlgis", "mysql-connector", "mysql+pymysql",
			"mysql+mysqldb", "mysql+mysqlconnector", "mysql+aiomysql", "mysql+asyncmy");

	/**
	 * Schemes of MariaDB, read by MariaDB Connector/J.
	 */
	static final List<String> MARIADB = List.of("mariadb", "mariadb+mariadbconnector");

	// CockroachDB speaks PostgreSQL's protocol on a port of its own.
	private static final int COCKROACHDB_PORT = 26257;

	private DatabaseSchemes() {
	}

	/**
	 * Returns every scheme, PostgreSQL's first, then MySQL's, MariaDB's, H2's and JDBC's.
	 * @return the schemes
	 */
	static String[] all() {
		List<String> all = new ArrayList<>(POSTGRES);
		all.addAll(MYSQL);
		all.addAll(MARIADB);
		all.addAll(List.of("h2", "jdbc"));
		return all.toArray(String[]::new);
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
		return MYSQL.contains(scheme) || MARIADB.contains(scheme);
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
