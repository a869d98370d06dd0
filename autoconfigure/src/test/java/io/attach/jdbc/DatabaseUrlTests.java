package io.attach.jdbc;

import io.attach.core.InvalidResourceUrlException;
import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DatabaseUrl}.
 *
 * @author attach
 */
class DatabaseUrlTests {

	private final AttachJdbcProperties properties = new AttachJdbcProperties();

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:pw@db.internal:5432/myapp                       | jdbc:postgresql://db.internal:5432/myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgresql://app:pw@db/myapp                                   | jdbc:postgresql://db/myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://app:pw@[::1]:5432/myapp                             | jdbc:postgresql://[::1]:5432/myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://app:pw@h1:5432,h2:5433/myapp?target_session_attrs=read-write | jdbc:postgresql://h1:5432,h2:5433/myapp?targetServerType=primary&connectTimeout=5&socketTimeout=30&loginTimeout=10
			postgres://db/myapp?sslmode=verify-full&sslrootcert=/etc/ca.pem | jdbc:postgresql://db/myapp?sslmode=verify-full&sslrootcert=/etc/ca.pem&connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://db/myapp?connect_timeout=2&application_name=web      | jdbc:postgresql://db/myapp?connectTimeout=2&ApplicationName=web&socketTimeout=30&loginTimeout=2
			postgres://db/myapp?options=-c%20search_path%3Dshop             | jdbc:postgresql://db/myapp?options=-c%20search_path%3Dshop&connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://db/myapp?sslcert=/c.pem&sslkey=/k.pem&prepareThreshold=0 | jdbc:postgresql://db/myapp?sslcert=/c.pem&sslkey=/k.pem&prepareThreshold=0&connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://db/myapp?target_session_attrs=prefer-standby         | jdbc:postgresql://db/myapp?targetServerType=preferSecondary&connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://db/myapp?socketTimeout=90                            | jdbc:postgresql://db/myapp?socketTimeout=90&connectTimeout=5&loginTimeout=5
			mariadb://root@127.0.0.1:3306/test                              | jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000&socketTimeout=30000
			mariadb://root@db/test?sslMode=verify-full                      | jdbc:mariadb://db/test?sslMode=verify-full&connectTimeout=5000&socketTimeout=30000
			mysql://root:pw@db:3306/test                                    | jdbc:mysql://db:3306/test?connectTimeout=5000&socketTimeout=30000
			h2:mem:test                                                     | jdbc:h2:mem:test
			h2:file:./data/app                                              | jdbc:h2:file:./data/app
			jdbc:postgresql://db/myapp?user=app                             | jdbc:postgresql://db/myapp?user=app&connectTimeout=5&socketTimeout=30&loginTimeout=5
			jdbc:postgresql://db/myapp                                      | jdbc:postgresql://db/myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5
			jdbc:postgresql:myapp                                           | jdbc:postgresql:myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5
			jdbc:postgresql://db/myapp?socketTimeout=90                     | jdbc:postgresql://db/myapp?socketTimeout=90&connectTimeout=5&loginTimeout=5
			jdbc:mariadb://db:3306/test                                     | jdbc:mariadb://db:3306/test?connectTimeout=5000&socketTimeout=30000
			jdbc:mysql://db/test?connectTimeout=1000                        | jdbc:mysql://db/test?connectTimeout=1000&socketTimeout=30000
			jdbc:mysql:loadbalance://h1,h2/test                             | jdbc:mysql:loadbalance://h1,h2/test?connectTimeout=5000&socketTimeout=30000
			jdbc:h2:mem:test                                                | jdbc:h2:mem:test
			jdbc:sqlserver://db;databaseName=x                              | jdbc:sqlserver://db;databaseName=x
			""")
	void whenUrlIsSupportedThenJdbcUrlIsDerived(String value, String jdbcUrl) {
		assertThat(of(value).jdbcUrl()).isEqualTo(jdbcUrl);
	}

	@ParameterizedTest(name = "{0} ({2})")
	@CsvSource(delimiter = '|', textBlock = """
			pgsql://app:pw@db/myapp                                         | jdbc:postgresql://db/myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5 | PHP, Doctrine
			postgis://app:pw@db:5432/geo                                    | jdbc:postgresql://db:5432/geo?connectTimeout=5&socketTimeout=30&loginTimeout=5 | dj-database-url
			postgres://app:pw@db/myapp?ssl=true                             | jdbc:postgresql://db/myapp?sslmode=verify-full&connectTimeout=5&socketTimeout=30&loginTimeout=5 | node-postgres, PgJDBC: verified, as PgJDBC reads it
			pg://app:pw@db/myapp?ssl=1                                      | jdbc:postgresql://db/myapp?sslmode=verify-full&connectTimeout=5&socketTimeout=30&loginTimeout=5 | node-postgres: verified (PgJDBC would read ssl=1 as its default, prefer)
			postgres://app:pw@db/myapp?ssl=0                                | jdbc:postgresql://db/myapp?sslmode=disable&connectTimeout=5&socketTimeout=30&loginTimeout=5 | node-postgres: no TLS
			cockroachdb://app:pw@crdb/bank?sslmode=verify-full              | jdbc:postgresql://crdb:26257/bank?sslmode=verify-full&connectTimeout=5&socketTimeout=30&loginTimeout=5 | sqlalchemy-cockroachdb: CockroachDB port
			mysql2://app:pw@db/shop                                         | jdbc:mysql://db/shop?connectTimeout=5000&socketTimeout=30000 | Rails, dj-database-url
			postgresql+psycopg2://app:pw@db/myapp                           | jdbc:postgresql://db/myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5 | SQLAlchemy
			mariadb+mariadbconnector://app:pw@db/shop                       | jdbc:mariadb://db/shop?connectTimeout=5000&socketTimeout=30000 | SQLAlchemy: MariaDB's driver even with Connector/J present
			postgres://app:pw@db/myapp?sslmode=require&sslrootcert=/ca.pem  | jdbc:postgresql://db/myapp?sslrootcert=/ca.pem&sslmode=verify-ca&connectTimeout=5&socketTimeout=30&loginTimeout=5 | libpq: require with a CA verifies it
			postgres://app:pw@db/myapp?ssl=true&sslmode=require&sslrootcert=/ca.pem | jdbc:postgresql://db/myapp?sslrootcert=/ca.pem&sslmode=verify-ca&connectTimeout=5&socketTimeout=30&loginTimeout=5 | CockroachDB docs: ssl=true beside them adds nothing
			postgres://app:pw@db/myapp?sslmode=require                      | jdbc:postgresql://db/myapp?sslmode=require&connectTimeout=5&socketTimeout=30&loginTimeout=5 | libpq, Heroku: encrypted, not verified (WARN)
			mysql://app:pw@db/shop?ssl-mode=REQUIRED&ssl_mode=required       | jdbc:mysql://db/shop?sslMode=REQUIRED&connectTimeout=5000&socketTimeout=30000 | two spellings that agree
			mariadb://app:pw@db/shop?ssl-ca=/etc/a%26b.pem                  | jdbc:mariadb://db/shop?sslMode=verify-ca&serverSslCert=/etc/a%26b.pem&connectTimeout=5000&socketTimeout=30000 | the path stays one parameter
			mysql://app:pw@db/shop?ssl-mode=REQUIRED                        | jdbc:mysql://db/shop?sslMode=REQUIRED&connectTimeout=5000&socketTimeout=30000 | MySQL client option
			mysql://app:pw@db/shop?ssl_mode=verify_identity                 | jdbc:mysql://db/shop?sslMode=VERIFY_IDENTITY&connectTimeout=5000&socketTimeout=30000 | mysqlclient (Django)
			mysql://app:pw@db/shop?ssl=true                                 | jdbc:mysql://db/shop?sslMode=VERIFY_IDENTITY&connectTimeout=5000&socketTimeout=30000 | never weaker than verified
			mariadb://app:pw@db/shop?ssl-mode=REQUIRED                      | jdbc:mariadb://db/shop?sslMode=trust&connectTimeout=5000&socketTimeout=30000 | MariaDB: trust is REQUIRED
			mariadb://app:pw@db/shop?ssl-mode=VERIFY_IDENTITY               | jdbc:mariadb://db/shop?sslMode=verify-full&connectTimeout=5000&socketTimeout=30000 | MariaDB
			mariadb://app:pw@db/shop?ssl-ca=/etc/ssl/ca.pem                 | jdbc:mariadb://db/shop?sslMode=verify-ca&serverSslCert=/etc/ssl/ca.pem&connectTimeout=5000&socketTimeout=30000 | MySQL client: a CA means VERIFY_CA
			mariadb://app:pw@db/shop?ssl_ca=/ca.pem&ssl_mode=REQUIRED        | jdbc:mariadb://db/shop?sslMode=verify-ca&serverSslCert=/ca.pem&connectTimeout=5000&socketTimeout=30000 | a CA given is checked
			mariadb://app:pw@db/shop?ssl-ca=/ca.pem&ssl-mode=VERIFY_IDENTITY | jdbc:mariadb://db/shop?sslMode=verify-full&serverSslCert=/ca.pem&connectTimeout=5000&socketTimeout=30000 | MariaDB
			mariadb://app:pw@db/shop?ssl-mode=DISABLED                      | jdbc:mariadb://db/shop?sslMode=disable&connectTimeout=5000&socketTimeout=30000 | MariaDB
			""")
	void whenUrlIsWrittenInAnotherDialectThenItsMeaningIsKept(String value, String jdbcUrl, String source) {
		DatabaseUrl url = of(value);
		assertThat(url.jdbcUrl()).isEqualTo(jdbcUrl);
		assertThat(url.username()).isEqualTo("app");
		assertThat(url.password()).isEqualTo("pw");
		assertDriverAccepts(jdbcUrl);
	}

	@Test
	void whenMysqlTlsModeIsTranslatedForTheMariadbDriverThenThatDriverAcceptsIt() throws Exception {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "mysql://app:pw@db/shop?ssl-ca=/ca.pem");
		DatabaseUrl databaseUrl = DatabaseUrl.of(url, this.properties, new FilteredClassLoader("com.mysql"));
		assertThat(databaseUrl.jdbcUrl()).isEqualTo(
				"jdbc:mariadb://db/shop?sslMode=verify-ca&serverSslCert=/ca.pem&connectTimeout=5000&socketTimeout=30000");
		assertDriverAccepts(databaseUrl.jdbcUrl());
	}

	private static void assertDriverAccepts(String jdbcUrl) {
		try {
			if (jdbcUrl.startsWith("jdbc:postgresql:")) {
				java.util.Properties properties = org.postgresql.Driver.parseURL(jdbcUrl, null);
				assertThat(properties).isNotNull();
				// Throws for a mode PgJDBC does not know.
				org.postgresql.jdbc.SslMode.of(properties);
			}
			else if (jdbcUrl.startsWith("jdbc:mariadb:")) {
				assertThat(org.mariadb.jdbc.Configuration.parse(jdbcUrl)).isNotNull();
			}
			else {
				com.mysql.cj.conf.ConnectionUrl parsed = com.mysql.cj.conf.ConnectionUrl
					.getConnectionUrlInstance(jdbcUrl, null);
				com.mysql.cj.conf.DefaultPropertySet properties = new com.mysql.cj.conf.DefaultPropertySet();
				// Throws for a value Connector/J does not know.
				properties.initializeProperties(parsed.getMainHost().exposeAsProperties());
			}
		}
		catch (java.sql.SQLException ex) {
			throw new AssertionError("The driver refuses " + jdbcUrl, ex);
		}
	}

	@Test
	void whenUrlHasCredentialsThenTheyStayOutOfTheJdbcUrl() {
		DatabaseUrl url = of("postgres://app:s3cr%40t@db.internal:5432/myapp?sslmode=require");
		assertThat(url.username()).isEqualTo("app");
		assertThat(url.password()).isEqualTo("s3cr@t");
		assertThat(url.jdbcUrl()).doesNotContain("s3cr").doesNotContain("app@");
		assertThat(url.toString()).doesNotContain("s3cr");
	}

	@Test
	void whenCredentialsAreQueryParametersThenTheyAreLiftedOut() {
		DatabaseUrl url = of("postgres://db/myapp?user=app&password=s3cret&sslmode=require");
		assertThat(url.username()).isEqualTo("app");
		assertThat(url.password()).isEqualTo("s3cret");
		assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db/myapp?sslmode=require&connectTimeout=5&socketTimeout=30&loginTimeout=5");
	}

	@Test
	void whenTimeoutsAreConfiguredThenDriverUnitsAreUsed() {
		this.properties.setConnectTimeout(java.time.Duration.ofMillis(2500));
		this.properties.setSocketTimeout(java.time.Duration.ofMinutes(2));
		assertThat(of("postgres://db/x").jdbcUrl()).endsWith("?connectTimeout=2&socketTimeout=120&loginTimeout=2");
		assertThat(of("mariadb://db/x").jdbcUrl()).endsWith("?connectTimeout=2500&socketTimeout=120000");
	}

	@Test
	void whenPostgresUrlSetsItsConnectTimeoutThenTheLoginIsBoundedByItToo() {
		// libpq's connect_timeout bounds the whole login; PgJDBC's connectTimeout only the TCP connection.
		assertThat(of("postgres://db/x?connect_timeout=2").jdbcUrl()).endsWith("&loginTimeout=2");
		assertThat(of("postgres://db/x?connect_timeout=2&loginTimeout=9").jdbcUrl()).doesNotContain("loginTimeout=2");
		assertThat(of("mariadb://db/x").jdbcUrl()).doesNotContain("loginTimeout");
		// PgJDBC tries the hosts in turn within one loginTimeout: each gets its connect timeout.
		assertThat(of("postgres://h1,h2,h3/x?connect_timeout=2").jdbcUrl()).endsWith("&loginTimeout=6");
		assertThat(of("jdbc:postgresql://h1,h2/x").jdbcUrl()).endsWith("&loginTimeout=10");
	}

	@Test
	void whenPostgresUrlHasAZeroLoginTimeoutThenItIsRefused() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("postgres://db/x?loginTimeout=0"))
			.withMessageContaining("loginTimeout=0");
	}

	@Test
	void whenTimeoutsAreUnderAMillisecondThenDriversGetTheSmallestTimeoutRatherThanNone() {
		// 0 is "wait forever" to every driver.
		this.properties.setConnectTimeout(java.time.Duration.ofNanos(500_000));
		this.properties.setSocketTimeout(java.time.Duration.ofNanos(1));
		assertThat(of("mariadb://db/x").jdbcUrl()).endsWith("?connectTimeout=1&socketTimeout=1");
		assertThat(of("jdbc:mysql://db/x").jdbcUrl()).endsWith("?connectTimeout=1&socketTimeout=1");
		assertThat(of("postgres://db/x").jdbcUrl()).endsWith("?connectTimeout=1&socketTimeout=1&loginTimeout=1");
	}

	@Test
	void whenTimeoutsExceedWhatDriversHoldThenTheyAreCapped() {
		// The drivers read an int of milliseconds; PgJDBC multiplies its seconds by 1000 into an int.
		this.properties.setSocketTimeout(java.time.Duration.ofDays(30));
		assertThat(of("mariadb://db/x").jdbcUrl()).endsWith("&socketTimeout=" + Integer.MAX_VALUE);
		assertThat(of("postgres://db/x").jdbcUrl())
			.endsWith("&socketTimeout=" + Integer.MAX_VALUE / 1000 + "&loginTimeout=5");
	}

	@Test
	void whenMysqlConnectorIsAbsentThenMariadbDriverIsUsed() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "mysql://root:pw@db:3306/test");
		DatabaseUrl databaseUrl = DatabaseUrl.of(url, this.properties, new FilteredClassLoader("com.mysql"));
		assertThat(databaseUrl.jdbcUrl()).startsWith("jdbc:mariadb://db:3306/test?");
	}

	@Test
	void whenDriverIsAbsentThenErrorNamesTheDependency() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:canary@db/myapp");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> DatabaseUrl.of(url, this.properties, new FilteredClassLoader("org.postgresql")))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).startsWith("DATABASE_URL").contains("PostgreSQL JDBC driver");
				assertThat(ex.getAction()).contains("org.postgresql:postgresql");
				assertThat(ex.getMessage()).doesNotContain("canary");
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			socket host                | postgres://app:canary@%2Fvar%2Frun%2Fpostgresql/myapp  | unix socket
			socket host parameter      | postgres://app:canary@/myapp?host=/var/run/postgresql  | does not name a network host
			host only in the query     | postgres://app:canary@/myapp?host=db.example.com       | names its host only in the query (host=…)
			empty authority            | postgres://app:canary@/myapp                           | does not name a network host
			no authority               | postgres:myapp                                         | does not name a network host
			no slashes, credentials    | postgres:app:canary@db/myapp                           | does not name a network host
			unsupported session attrs  | postgres://app:canary@db/myapp?target_session_attrs=x  | target_session_attrs=x
			h2 with authority          | h2://app:canary@db/myapp                               | is not an H2 URL
			fragment                   | mysql://app:canary@db/myapp#x                          | fragment
			node-postgres no-verify    | postgres://app:canary@db/myapp?sslmode=no-verify       | sslmode=no-verify, node-postgres' spelling
			ssl neither                | mysql://app:canary@db/shop?ssl=maybe                   | ssl=maybe, which is neither true nor false
			two MySQL modes            | mysql://app:canary@db/shop?ssl-mode=REQUIRED&ssl_mode=DISABLED | gives two different TLS modes (ssl-mode, ssl_mode)
			ssl against the mode       | mysql://app:canary@db/shop?ssl-mode=REQUIRED&ssl=true  | gives ssl=true and a different TLS mode
			client and driver mixed    | mariadb://app:canary@db/shop?sslMode=verify-full&ssl-ca=/ca.pem | mixes the MySQL client's TLS settings (ssl-ca) with the driver's own (sslMode)
			mysql CA for Connector/J   | mysql://app:canary@db/shop?ssl-ca=/ca.pem              | a CA file, which MySQL Connector/J cannot read
			unknown MySQL mode         | mysql://app:canary@db/shop?ssl-mode=STRICT             | ssl-mode=STRICT, which is not a MySQL TLS mode
			PREFERRED on MariaDB       | mariadb://app:canary@db/shop?ssl-mode=PREFERRED        | falls back to clear text
			CA and TLS off             | mariadb://app:canary@db/shop?ssl-ca=/ca.pem&ssl=false  | gives a CA file and turns TLS off
			host in the query too      | postgres://app:canary@db/myapp?host=elsewhere.example   | names where to connect in its query too (host=…)
			hostaddr in the query      | postgres://app:canary@db/myapp?hostaddr=203.0.113.7    | names where to connect in its query too (hostaddr=…)
			port in the query          | postgres://app:canary@db/myapp?port=6543               | names where to connect in its query too (port=…)
			MySQL socket parameter     | mysql://app:canary@db/shop?socket=/run/mysqld/mysqld.sock | unix socket
			NUL in the host            | postgres://app:canary@a%00b/myapp                      | invalid percent-encoding in its host
			stray percent in database  | postgres://app:canary@db/50%off                        | a '%' in its database name that starts no percent-encoding
			NUL in the database        | postgres://app:canary@db/shop%00x                      | (NUL) in its database name
			ssl on PostgreSQL neither  | postgres://app:canary@db/myapp?ssl=yes                 | ssl=yes, which is neither true nor false
			jdbc port out of range     | jdbc:postgresql://db:500000/myapp?password=canary      | is not a URL the JDBC driver (org.postgresql.Driver) accepts
			jdbc PgJDBC service        | jdbc:postgresql://db/myapp?service=nowhere&password=canary | is not a URL the JDBC driver (org.postgresql.Driver) accepts
			unknown scheme             | redshift://app:canary@db:5439/dev                      | unsupported scheme 'redshift'
			""")
	void whenUrlCannotBeUsedWithJdbcThenErrorNamesSettingAndHidesPassword(String description, String value,
			String problem) {
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> of(value)).satisfies((ex) -> {
			assertThat(ex.getMessage()).startsWith("DATABASE_URL").contains(problem).doesNotContain("canary");
			assertThat(ex.getAction()).doesNotContain("canary");
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:canary@db/myapp?socketTimeout=0                          | socketTimeout=0   | attach.jdbc.socket-timeout
			postgres://app:canary@db/myapp?connectTimeout=0                         | connectTimeout=0  | attach.jdbc.connect-timeout
			postgres://app:canary@db/myapp?connect_timeout=0                        | connect_timeout=0 | attach.jdbc.connect-timeout
			postgres://app:canary@db?connect_timeout=-1                             | connect_timeout=an invalid value | attach.jdbc.connect-timeout
			postgres://app:canary@db/myapp?socketTimeout=-5                         | socketTimeout=an invalid value | attach.jdbc.socket-timeout
			postgres://app:canary@db/myapp?socketTimeout=                           | socketTimeout=an invalid value | attach.jdbc.socket-timeout
			postgres://app:canary@db/myapp?sockettimeout=0                          | sockettimeout=0   | attach.jdbc.socket-timeout
			mariadb://app:canary@db/test?connectTimeout=0                           | connectTimeout=0  | attach.jdbc.connect-timeout
			mariadb://app:canary@db/test?socketTimeout=0                            | socketTimeout=0   | attach.jdbc.socket-timeout
			mariadb://app:canary@db/test?socketTimeout=-1000                        | socketTimeout=an invalid value | attach.jdbc.socket-timeout
			mysql://app:canary@db/test?socketTimeout=0                              | socketTimeout=0   | attach.jdbc.socket-timeout
			jdbc:postgresql://db/myapp?user=app&password=canary&socketTimeout=0     | socketTimeout=0   | attach.jdbc.socket-timeout
			jdbc:postgresql://db/myapp?connectTimeout=-1&password=canary            | connectTimeout=an invalid value | attach.jdbc.connect-timeout
			jdbc:mariadb://db/test?password=canary&connectTimeout=0                 | connectTimeout=0  | attach.jdbc.connect-timeout
			jdbc:mysql://db/test?socketTimeout=0&password=canary                    | socketTimeout=0   | attach.jdbc.socket-timeout
			jdbc:mysql:loadbalance://h1,h2/test?password=canary&socketTimeout=0     | socketTimeout=0   | attach.jdbc.socket-timeout
			""")
	void whenUrlHasAZeroOrNegativeTimeoutThenErrorNamesTheParameterAndHidesPassword(String value, String problem,
			String property) {
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> of(value)).satisfies((ex) -> {
			assertThat(ex.getMessage()).startsWith("DATABASE_URL").contains("has " + problem).doesNotContain("canary");
			assertThat(ex.getAction()).contains(property).doesNotContain("canary");
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:pw@db/myapp                                      | jdbc:postgresql://db/myapp?sslmode=require&connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://app:pw@db/myapp?sslmode=verify-full&sslrootcert=/ca.pem | jdbc:postgresql://db/myapp?sslmode=require&connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://app:pw@db/myapp?sslmode=prefer                       | jdbc:postgresql://db/myapp?sslmode=require&connectTimeout=5&socketTimeout=30&loginTimeout=5
			postgres://app:pw@db/myapp?ssl=true&application_name=web        | jdbc:postgresql://db/myapp?ApplicationName=web&sslmode=require&connectTimeout=5&socketTimeout=30&loginTimeout=5
			mysql://app:pw@db/shop?ssl-mode=VERIFY_IDENTITY                 | jdbc:mysql://db/shop?sslMode=REQUIRED&connectTimeout=5000&socketTimeout=30000
			mysql://app:pw@db/shop                                          | jdbc:mysql://db/shop?sslMode=REQUIRED&connectTimeout=5000&socketTimeout=30000
			mariadb://app:pw@db/shop?ssl-ca=/ca.pem                         | jdbc:mariadb://db/shop?sslMode=trust&connectTimeout=5000&socketTimeout=30000
			""")
	void whenPeerVerificationIsOffThenTlsIsRequiredWithoutIt(String value, String jdbcUrl) {
		this.properties.setVerifyPeer(false);
		assertThat(of(value).jdbcUrl()).isEqualTo(jdbcUrl);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:canary@db/myapp?sslmode=disable                  | turns TLS off
			postgres://app:canary@db/myapp?ssl=false                        | turns TLS off
			mysql://app:canary@db/shop?ssl-mode=DISABLED                    | turns TLS off
			mariadb://app:canary@db/shop?sslMode=verify-full                | sets the driver's own TLS setting 'sslMode'
			postgres://app:canary@db/myapp?sslfactory=org.example.Factory   | sets the driver's own TLS setting 'sslfactory'
			postgres://app:canary@db/myapp?ssl=0                            | turns TLS off
			mariadb://app:canary@db/shop?SSLMODE=disable                    | sets the driver's own TLS setting 'SSLMODE'
			""")
	void whenPeerVerificationIsOffAndTheUrlSaysOtherwiseThenBothAreNamed(String value, String problem) {
		this.properties.setVerifyPeer(false);
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> of(value)).satisfies((ex) -> {
			assertThat(ex.getMessage()).startsWith("attach.jdbc.verify-peer is false")
				.contains("DATABASE_URL " + problem)
				.doesNotContain("canary");
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:pw@db/myapp?keepalives=1&application_name=web&pgbouncer=true | [keepalives, pgbouncer] | org.postgresql.Driver
			postgres://app:pw@db/myapp?applicationname=web                  | [applicationname]        | org.postgresql.Driver
			mysql://app:pw@db/shop?charset=utf8mb4&characterEncoding=utf8   | [charset]                | com.mysql.cj.jdbc.Driver
			mariadb://app:pw@db/shop?charset=utf8mb4&USESSL=true             | [charset]                | org.mariadb.jdbc.Driver
			jdbc:postgresql://db/myapp?prepareThreshold=0&reconnect=true    | [reconnect]              | org.postgresql.Driver
			mysql://app:pw@db/shop?useUnicode=true&characterEncoding=utf8   | [useUnicode]             | com.mysql.cj.jdbc.Driver
			jdbc:mariadb://db/shop?autoReconnect=true                       | [autoReconnect]          | org.mariadb.jdbc.Driver
			""")
	void whenTheDriverDoesNotKnowAParameterThenAWarningNamesIt(String value, String unread, String driver) {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", value);
		assertThat(DriverParameters.unreadWarning(url, DatabaseUrl.of(url, this.properties, null), null))
			.hasValueSatisfying((warning) -> assertThat(warning)
				.startsWith("DATABASE_URL has the parameter(s) " + unread + ", which neither attach nor the JDBC"
						+ " driver (" + driver + ") reads"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:pw@db/myapp?application_name=web&options=-c%20x%3Dy&channel_binding=require&sslmode=require
			mysql://app:pw@db/shop?characterEncoding=utf8&ssl-mode=REQUIRED
			mariadb://app:pw@db/shop?useSSL=true&trustServerCertificate=true
			jdbc:mariadb://db/shop?useServerPrepStmts=true
			h2:mem:test
			jdbc:sqlserver://db;databaseName=x
			""")
	void whenTheDriverKnowsEveryParameterThenThereIsNoWarning(String value) {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", value);
		assertThat(DriverParameters.unreadWarning(url, DatabaseUrl.of(url, this.properties, null), null)).isEmpty();
	}

	@Test
	void whenTheDriverIsAbsentThenNothingIsGuessed() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "mysql://app:pw@db/shop?charset=utf8mb4");
		FilteredClassLoader noDrivers = new FilteredClassLoader("com.mysql");
		DatabaseUrl databaseUrl = DatabaseUrl.of(url, this.properties, noDrivers);
		assertThat(DriverParameters.unreadWarning(url, databaseUrl, new FilteredClassLoader("com.mysql", "org.mariadb")))
			.isEmpty();
	}

	private DatabaseUrl of(String value) {
		return DatabaseUrl.of(ResourceUrl.of("DATABASE_URL", value), this.properties, getClass().getClassLoader());
	}

	@Test
	void whenH2DriverIsAbsentThenErrorNamesTheDependency() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "h2:mem:test");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> DatabaseUrl.of(url, this.properties, new FilteredClassLoader("org.h2")))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo("needs the H2 JDBC driver, which is not on the classpath");
				assertThat(ex.getAction()).isEqualTo("Add the dependency com.h2database:h2 to the application.");
			});
	}

	@Test
	void whenHostParameterIsASocketPathThenTheUrlIsRefused() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("postgres://app:canary@db/myapp?host=/var/run/postgresql"))
			.satisfies((ex) -> assertThat(ex.getProblem()).startsWith("does not name a network host"));
	}

	@Test
	void whenTimeoutHasNineDigitsThenItIsKeptAndTenDigitsAreRefused() {
		assertThat(of("mariadb://db/test?socketTimeout=123456789").jdbcUrl())
			.isEqualTo("jdbc:mariadb://db/test?socketTimeout=123456789&connectTimeout=5000");
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("mariadb://db/test?socketTimeout=1234567890"))
			.satisfies((ex) -> assertThat(ex.getProblem()).isEqualTo(
					"has socketTimeout=an invalid value, which is not a positive whole number of milliseconds"));
	}

	@Test
	void whenUrlIsLoggedThenItShowsTheUserButNeverThePassword() {
		DatabaseUrl url = of("postgres://app:canary@db/myapp");
		assertThat(url).hasToString("jdbc:postgresql://db/myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5 as app");
		assertThat(new DatabaseUrlJdbcConnectionDetails(url)).hasToString(url.toString());
	}

	@Test
	void whenUserNameIsAlsoThePasswordThenTheLogMasksIt() {
		assertThat(of("postgres://canary:canary@db/myapp"))
			.hasToString("jdbc:postgresql://db/myapp?connectTimeout=5&socketTimeout=30&loginTimeout=5 as ****");
	}

}
