package io.attach.jdbc;

import java.net.SocketTimeoutException;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidResourceUrlException;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Integration tests for {@link JdbcAttachAutoConfiguration} against the machine's PostgreSQL and MariaDB.
 *
 * @author attach
 */
class JdbcAttachIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(AttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
					DataSourceAutoConfiguration.class));

	@Test
	void whenPostgresUrlHasPercentEncodedPasswordThenDataSourceConnects() {
		int port = LocalServers.POSTGRES.require().port();
		this.contextRunner.withPropertyValues("DATABASE_URL=postgres://postgres:s3cr%40t%23%2F%3A@127.0.0.1:" + port + "/test")
			.run((context) -> {
				// The server trusts loopback clients, so this proves the decoding, not the server's check of it.
				assertThat(context.getBean(HikariDataSource.class).getPassword()).isEqualTo("s3cr@t#/:");
				assertThat(query(context.getBean(DataSource.class), "SELECT current_database()")).isEqualTo("test");
			});
	}

	@Test
	void whenPostgresUrlHasLibpqParametersThenServerSeesThem() {
		int port = LocalServers.POSTGRES.require().port();
		this.contextRunner
			.withPropertyValues("DATABASE_URL=postgresql://postgres@127.0.0.1:" + port
					+ "/test?sslmode=disable&application_name=attach-it&options=-c%20search_path%3Dattach_it,public")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(query(dataSource, "SHOW application_name")).isEqualTo("attach-it");
				assertThat(query(dataSource, "SHOW search_path")).isEqualTo("attach_it,public");
			});
	}

	@Test
	void whenFirstHostOfFailoverListIsDeadThenNextHostIsUsed() {
		int port = LocalServers.POSTGRES.require().port();
		try (FaultProxy dead = LocalServers.POSTGRES.proxy()) {
			dead.refuse();
			this.contextRunner
				.withPropertyValues("DATABASE_URL=postgres://postgres@127.0.0.1:" + dead.getPort() + ",127.0.0.1:"
						+ port + "/test?target_session_attrs=read-write")
				.run((context) -> {
					assertThat(query(context.getBean(DataSource.class), "SELECT 'connected'")).isEqualTo("connected");
					assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).contains("targetServerType=primary");
				});
		}
	}

	@Test
	void whenMariadbUrlIsSetThenDataSourceConnects() {
		int port = LocalServers.MARIADB.require().port();
		this.contextRunner.withPropertyValues("DATABASE_URL=mariadb://root@127.0.0.1:" + port + "/test")
			.run((context) -> assertThat(query(context.getBean(DataSource.class), "SELECT DATABASE()")).isEqualTo("test"));
	}

	@Test
	void whenMysqlUrlIsSetWithoutConnectorJThenMariadbDriverConnects() {
		int port = LocalServers.MARIADB.require().port();
		this.contextRunner.withPropertyValues("DATABASE_URL=mysql://root@127.0.0.1:" + port + "/test")
			.withClassLoader(new FilteredClassLoader("com.mysql"))
			.run((context) -> {
				assertThat(context.getBean(HikariDataSource.class).getJdbcUrl()).startsWith("jdbc:mariadb:");
				assertThat(query(context.getBean(DataSource.class), "SELECT DATABASE()")).isEqualTo("test");
			});
	}

	@Test
	@Timeout(60) // Guards against a hang: without the URL's timeouts the driver would wait forever.
	void whenDatabaseIsBlackholedThenTheDriverGivesUpByTheUrlsSocketTimeout() {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			proxy.blackhole();
			this.contextRunner
				.withPropertyValues("DATABASE_URL=postgres://postgres@127.0.0.1:" + proxy.getPort()
						+ "/test?loginTimeout=60", "attach.jdbc.connect-timeout=1s", "attach.jdbc.socket-timeout=1s")
				.run((context) -> {
					JdbcConnectionDetails details = context.getBean(JdbcConnectionDetails.class);
					// The driver alone, with no pool timeout in the way: only the URL's timeouts can end the wait.
					assertThatExceptionOfType(SQLException.class)
						.isThrownBy(() -> DriverManager.getConnection(details.getJdbcUrl(), details.getUsername(),
								details.getPassword()))
						.havingRootCause()
						.isInstanceOf(SocketTimeoutException.class);
				});
		}
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // Without the login timeout this hangs.
	void whenDatabaseAcceptsButNeverAnswersThenTheLoginGivesUpByTheConnectTimeout() {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			proxy.blackhole();
			// A socket timeout far longer than the test: only a bound on the whole login can end the wait.
			this.contextRunner
				.withPropertyValues("DATABASE_URL=postgres://postgres@127.0.0.1:" + proxy.getPort() + "/test",
						"attach.jdbc.connect-timeout=1s", "attach.jdbc.socket-timeout=1h")
				.run((context) -> {
					JdbcConnectionDetails details = context.getBean(JdbcConnectionDetails.class);
					assertThatExceptionOfType(SQLException.class)
						.isThrownBy(() -> DriverManager.getConnection(details.getJdbcUrl(), details.getUsername(),
								details.getPassword()))
						.withMessageContaining("timed out");
				});
		}
	}

	@Test
	@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // Without the check this hangs.
	void whenDatabaseUrlHasAZeroSocketTimeoutThenStartupFailsNamingItInsteadOfHangingOnABlackholedServer() {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			this.contextRunner
				.withPropertyValues("DATABASE_URL=postgres://postgres:canary@127.0.0.1:" + proxy.getPort()
						+ "/test?socketTimeout=0")
				.withBean(FaultProxy.class, () -> proxy)
				.withBean(QueryThroughOutage.class)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidResourceUrlException.class)
					.hasMessageStartingWith("DATABASE_URL")
					.hasMessageContaining("socketTimeout=0, which the driver reads as waiting forever")
					.hasMessageNotContaining("canary"));
			assertThat(proxy.getConnectionCount()).isZero();
		}
	}

	private static String query(DataSource dataSource, String sql) {
		return new JdbcTemplate(dataSource).queryForObject(sql, String.class);
	}

	/**
	 * Queries the database while the application starts, then again once the server is black-holed: with no
	 * socket timeout, the second query never returns (the pool bounds the wait for a connection, not a query).
	 */
	static class QueryThroughOutage implements InitializingBean {

		private final DataSource dataSource;

		private final FaultProxy proxy;

		QueryThroughOutage(DataSource dataSource, FaultProxy proxy) {
			this.dataSource = dataSource;
			this.proxy = proxy;
		}

		@Override
		public void afterPropertiesSet() {
			JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
			jdbc.queryForObject("SELECT 1", Integer.class);
			this.proxy.blackhole();
			jdbc.queryForObject("SELECT 1", Integer.class);
		}

	}

}
