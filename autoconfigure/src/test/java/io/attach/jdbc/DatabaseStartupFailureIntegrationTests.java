package io.attach.jdbc;

import java.sql.Connection;
import java.util.List;

import javax.sql.DataSource;

import io.attach.core.AttachAutoConfiguration;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Integration tests of the report an application prints when the attached database cannot be used at startup, as
 * a migration tool finds it, against the machine's PostgreSQL and MariaDB.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseStartupFailureIntegrationTests {

	@Test
	void whenDatabaseRefusesConnectionsThenTheReportNamesSettingServerAndCause(CapturedOutput output) {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			proxy.refuse();
			String url = "postgres://postgres:canary-pw@127.0.0.1:" + proxy.getPort() + "/test";
			start("--DATABASE_URL=" + url);
			assertThat(report(output)).contains("database (jdbc) could not be used at startup.")
				.contains("DATABASE_URL: postgres://postgres:****@127.0.0.1:" + proxy.getPort() + "/test")
				.contains("server: 127.0.0.1:" + proxy.getPort())
				.contains("cause: connection refused: nothing listens on 127.0.0.1:" + proxy.getPort())
				.contains("Start the server, or correct the host and port in DATABASE_URL.");
			assertThat(output).doesNotContain("canary-pw");
		}
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // Without a login timeout this hangs.
	void whenDatabaseAcceptsButNeverAnswersThenStartupEndsByAttachsTimeoutWithAReport(CapturedOutput output) {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			proxy.blackhole();
			start("--DATABASE_URL=postgres://postgres@127.0.0.1:" + proxy.getPort() + "/test",
					"--attach.jdbc.connect-timeout=1s", "--attach.jdbc.socket-timeout=1h");
			assertThat(report(output)).contains("cause: no answer from 127.0.0.1:" + proxy.getPort() + " in time");
		}
	}

	@Test
	void whenDatabaseDoesNotExistThenTheReportSaysSo(CapturedOutput output) {
		int port = LocalServers.POSTGRES.require().port();
		start("--DATABASE_URL=postgres://postgres@127.0.0.1:" + port + "/attach_no_such_db");
		assertThat(report(output)).contains("cause: the database 'attach_no_such_db' does not exist on the server")
			.contains("Create it (CREATE DATABASE), or correct the database name, the path of DATABASE_URL.");
	}

	@Test
	void whenAJdbcUrlWithItsPasswordInTheQueryNamesNoSuchDatabaseThenTheReportHidesThePassword(CapturedOutput output) {
		int port = LocalServers.POSTGRES.require().port();
		start("--DATABASE_URL=jdbc:postgresql://127.0.0.1:" + port
				+ "/attach_no_such_db?user=postgres&password=canary-pw");
		assertThat(report(output)).contains("cause: the database does not exist on the server");
		assertThat(output).doesNotContain("canary-pw");
	}

	@Test
	void whenTheUserNameIsThePasswordThenTheReportNamesNeither(CapturedOutput output) {
		int port = LocalServers.POSTGRES.require().port();
		start("--DATABASE_URL=postgres://canary-token:canary-token@127.0.0.1:" + port + "/test");
		// The report only: Spring's own warning quotes PostgreSQL's "role ... does not exist".
		assertThat(report(output)).contains("cause: the server rejected the credentials of the URL's user")
			.doesNotContain("canary-token");
	}

	@Test
	void whenPostgresRejectsTheUserThenTheReportSaysTheCredentialsWereRejected(CapturedOutput output) {
		int port = LocalServers.POSTGRES.require().port();
		start("--DATABASE_URL=postgres://attach_no_such_role:canary-pw@127.0.0.1:" + port + "/test");
		assertThat(report(output))
			.contains("cause: the server rejected the credentials of user 'attach_no_such_role' (SQLState 28000)");
		assertThat(output).doesNotContain("canary-pw");
	}

	@Test
	void whenMariadbRejectsThePasswordThenTheReportSaysTheCredentialsWereRejected(CapturedOutput output) {
		int port = LocalServers.MARIADB.require().port();
		start("--DATABASE_URL=mariadb://root:canary-pw@127.0.0.1:" + port + "/test");
		assertThat(report(output)).contains("cause: the server rejected the credentials of user 'root'");
		assertThat(output).doesNotContain("canary-pw");
	}

	@Test
	void whenUrlAsksForTlsOfAServerWithoutItThenTheReportSaysSo(CapturedOutput output) {
		// The machine's PostgreSQL has no TLS.
		int port = LocalServers.POSTGRES.require().port();
		start("--DATABASE_URL=postgres://postgres@127.0.0.1:" + port + "/test?sslmode=require");
		assertThat(report(output)).contains("cause: the server does not offer TLS, which DATABASE_URL asks for");
	}

	@Test
	void whenStartupFailsOnBadSqlThenAttachLeavesTheReportToBoot(CapturedOutput output) {
		int port = LocalServers.POSTGRES.require().port();
		SpringApplication application = application(BadSqlAtStartup.class);
		assertThatException()
			.isThrownBy(() -> application.run("--DATABASE_URL=postgres://postgres@127.0.0.1:" + port + "/test"));
		assertThat(output).doesNotContain("could not be used at startup").contains("SELEC");
	}

	@Test
	void whenConnectionDetailsOfTheUsersTakeTheUrlsPlaceThenTheirFailureIsNotReportedAsTheUrls(CapturedOutput output) {
		int port = LocalServers.POSTGRES.require().port();
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			proxy.refuse();
			SpringApplication application = application(ConnectsAtStartup.class);
			application.addPrimarySources(List.of(TheirConnectionDetails.class));
			String databaseUrl = "postgres://postgres@127.0.0.1:" + port + "/test";
			assertThatException()
				.isThrownBy(() -> application.run("--DATABASE_URL=" + databaseUrl, "--their.port=" + proxy.getPort()));
			// The pool connected where their bean says, which DATABASE_URL does not name: not DATABASE_URL's failure.
			assertThat(output).contains("127.0.0.1:" + proxy.getPort()).doesNotContain("could not be used at startup");
		}
	}

	private static void start(String... args) {
		assertThatException().isThrownBy(() -> application(ConnectsAtStartup.class).run(args));
	}

	private static SpringApplication application(Class<?> configuration) {
		SpringApplication application = new SpringApplication(configuration);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application;
	}

	private static String report(CapturedOutput output) {
		String all = output.getAll();
		int start = all.indexOf("APPLICATION FAILED TO START");
		assertThat(start).as("a failure report in:%n%s", all).isNotNegative();
		return all.substring(start);
	}

	/**
	 * Uses the database while the context starts, as Flyway or Liquibase do.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
			DataSourceAutoConfiguration.class })
	static class ConnectsAtStartup {

		@Bean
		InitializingBean connectAtStartup(DataSource dataSource) {
			return () -> {
				try (Connection connection = dataSource.getConnection()) {
					connection.isValid(1);
				}
			};
		}

	}

	/**
	 * Connection details of the user's own, to a server that {@code DATABASE_URL} does not name.
	 */
	@Configuration(proxyBeanMethods = false)
	static class TheirConnectionDetails {

		@Bean
		JdbcConnectionDetails theirConnectionDetails(Environment environment) {
			String url = "jdbc:postgresql://127.0.0.1:" + environment.getRequiredProperty("their.port") + "/test";
			return new JdbcConnectionDetails() {

				@Override
				public String getUsername() {
					return "postgres";
				}

				@Override
				public @Nullable String getPassword() {
					return null;
				}

				@Override
				public String getJdbcUrl() {
					return url;
				}

			};
		}

	}

	/**
	 * Runs a statement the server cannot parse while the context starts.
	 */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
			DataSourceAutoConfiguration.class })
	static class BadSqlAtStartup {

		@Bean
		InitializingBean badSqlAtStartup(DataSource dataSource) {
			return () -> new JdbcTemplate(dataSource).execute("SELEC 1");
		}

	}

}
