package io.attach.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidResourceUrlException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcAttachAutoConfiguration}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class JdbcAttachAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(AttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
					DataSourceAutoConfiguration.class));

	@Test
	void whenNoUrlIsSetThenNothingIsAttached() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(DatabaseUrlJdbcConnectionDetails.class);
			assertThat(context.getBean(JdbcConnectionDetails.class).getClass().getSimpleName())
				.isEqualTo("PropertiesJdbcConnectionDetails");
		});
	}

	@Test
	void whenDatabaseUrlIsSetThenConnectionDetailsComeFromIt() {
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://app:s3cr%40t@db.internal:5432/myapp")
			.run((context) -> {
				assertThat(context).hasSingleBean(DatabaseUrlJdbcConnectionDetails.class);
				JdbcConnectionDetails details = context.getBean(JdbcConnectionDetails.class);
				assertThat(details.getJdbcUrl()).startsWith("jdbc:postgresql://db.internal:5432/myapp?");
				assertThat(details.getUsername()).isEqualTo("app");
				assertThat(details.getPassword()).isEqualTo("s3cr@t");
				assertThat(details.getDriverClassName()).isEqualTo("org.postgresql.Driver");
			});
	}

	@Test
	void whenDatabaseUrlReachesAnotherHostWithoutTlsThenStartupWarnsAndOnlyThen(CapturedOutput output) {
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://app:canary@db.internal:5432/myapp")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("DATABASE_URL reaches db.internal without asking for TLS").doesNotContain("canary");
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://app:canary@db.other:5432/myapp?sslmode=require")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("reaches db.other");
	}

	@Test
	void whenPeerVerificationIsTurnedOffThenTlsIsRequiredAndStartupWarnsOnce(CapturedOutput output) {
		// Heroku Postgres: the platform owns DATABASE_URL, which asks for no TLS, and signs with its own CA.
		this.contextRunner
			.withPropertyValues("DATABASE_URL=postgres://app:canary@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1",
					"attach.jdbc.verify-peer=false")
			.run((context) -> assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl())
				.contains("?sslmode=require&"));
		assertThat(output).contains("attach.jdbc.verify-peer is false: DATABASE_URL is reached over TLS without"
				+ " verifying the server's certificate")
			.doesNotContain("without asking for TLS")
			.doesNotContain("canary");
	}

	@Test
	void whenPeerVerificationIsTurnedOffForAJdbcUrlThenStartupSaysItHasNoEffect(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues(
					"DATABASE_URL=jdbc:postgresql://db.example.com/d1?sslmode=verify-full&user=app&password=canary",
					"attach.jdbc.verify-peer=false")
			.run((context) -> assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl())
				.contains("sslmode=verify-full"));
		assertThat(output).contains("attach.jdbc.verify-peer is false, but has no effect: DATABASE_URL is a jdbc: URL")
			.doesNotContain("is reached over TLS without verifying")
			.doesNotContain("canary");
	}

	@Test
	void whenTheDriverReadsNoSuchParameterThenStartupNamesIt(CapturedOutput output) {
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://app:canary@localhost/d1?keepalives=1")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("DATABASE_URL has the parameter(s) [keepalives], which neither attach nor the JDBC"
				+ " driver (org.postgresql.Driver) reads").doesNotContain("canary");
	}

	@Test
	void whenDatabaseUrlAndSpringDatasourceUrlAreSetThenDatabaseUrlWins() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=mariadb://root@db:3306/test",
					"spring.datasource.url=jdbc:postgresql://other/other")
			.run((context) -> assertThat(context.getBean(HikariDataSource.class).getJdbcUrl())
				.startsWith("jdbc:mariadb://db:3306/test?"));
	}

	@Test
	void whenPropertyUrlIsSetThenItWinsOverVariable() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=postgres://db/from-variable",
					"attach.resources.database.url=postgres://db/from-property")
			.run((context) -> assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl())
				.startsWith("jdbc:postgresql://db/from-property?"));
	}

	@Test
	void whenUserDefinesConnectionDetailsThenDatabaseUrlBacksOffAndSaysSo(CapturedOutput output) {
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://db/myapp")
			.withBean(JdbcConnectionDetails.class, UserConnectionDetails::new)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DatabaseUrlJdbcConnectionDetails.class);
				assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).isEqualTo("jdbc:h2:mem:user");
			});
		assertThat(output).contains("DATABASE_URL is set, but the " + UserConnectionDetails.class.getName()
				+ " bean takes precedence: database does not use DATABASE_URL");
	}

	@Test
	void whenDatabaseUrlIsUsedThenNoPrecedenceNoteIsLogged(CapturedOutput output) {
		this.contextRunner.withPropertyValues("DATABASE_URL=h2:mem:precedence")
			.run((context) -> assertThat(context).hasSingleBean(DatabaseUrlJdbcConnectionDetails.class));
		assertThat(output).contains("Attached database (jdbc) from DATABASE_URL").doesNotContain("takes precedence");
	}

	@Test
	void whenResourceIsDisabledThenDatabaseUrlIsIgnored() {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=postgres://db/myapp", "attach.resources.database.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DatabaseUrlJdbcConnectionDetails.class));
	}

	@Test
	void whenSpringJdbcIsAbsentThenNothingIsAttached() {
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://db/myapp")
			.withClassLoader(new FilteredClassLoader(EmbeddedDatabaseType.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DatabaseUrlJdbcConnectionDetails.class);
				assertThat(context).doesNotHaveBean(DataSource.class);
			});
	}

	@Test
	void whenDriverIsAbsentThenStartupFailsInsteadOfFallingBackToAnEmbeddedDatabase() {
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://app:canary@db/myapp")
			.withClassLoader(new FilteredClassLoader("org.postgresql"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidResourceUrlException.class)
				.hasMessageContaining("PostgreSQL JDBC driver")
				.hasMessageNotContaining("canary"));
	}

	@Test
	void whenUrlIsMalformedThenStartupFails() {
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://app:canary#secret@db/myapp")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidResourceUrlException.class)
				.hasMessageStartingWith("DATABASE_URL")
				.hasMessageNotContaining("canary"));
	}

	@Test
	void whenUrlIsForAnotherKindThenStartupFails() {
		this.contextRunner.withPropertyValues("DATABASE_URL=redis://cache:6379")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidResourceUrlException.class)
				.hasMessageContaining("which DATABASE_URL does not take"));
	}

	@Test
	void whenATimeoutIsZeroThenStartupFailsRatherThanWaitForever() {
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://db/myapp", "attach.jdbc.socket-timeout=0s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageStartingWith("attach.jdbc.socket-timeout is 0ms")
				.hasMessageContaining("attach never waits forever"));
	}

	@Test
	void whenH2UrlIsSetThenEmbeddedDatabaseRuns() {
		this.contextRunner.withPropertyValues("DATABASE_URL=h2:mem:attach-unit").run((context) -> {
			try (var connection = context.getBean(DataSource.class).getConnection()) {
				assertThat(connection.getMetaData().getURL()).isEqualTo("jdbc:h2:mem:attach-unit");
			}
		});
	}

	static class UserConnectionDetails implements JdbcConnectionDetails {

		@Override
		public String getUsername() {
			return "sa";
		}

		@Override
		public String getPassword() {
			return "";
		}

		@Override
		public String getJdbcUrl() {
			return "jdbc:h2:mem:user";
		}

	}

}
