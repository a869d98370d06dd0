package io.attach.jdbc;

import java.util.List;

import io.attach.kind.ResourceKindContractTests;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@link ResourceKindContractTests contract} run for {@code DATABASE_URL}.
 *
 * @author attach
 */
class JdbcResourceKindContractTests extends ResourceKindContractTests {

	@Override
	protected List<String> variables() {
		return List.of("DATABASE_URL", "JAWSDB_URL", "JAWSDB_MARIA_URL", "CLEARDB_DATABASE_URL");
	}

	@Override
	protected String resourceName() {
		return "database";
	}

	@Override
	protected String url(String password) {
		return "postgres://app:" + password + "@127.0.0.1:" + closedPort() + "/app";
	}

	@Override
	protected String wrongSchemeUrl(String password) {
		return "redis://app:" + password + "@127.0.0.1:" + closedPort() + "/0";
	}

	@Override
	protected Class<?> attachedType() {
		return DatabaseUrlJdbcConnectionDetails.class;
	}

	@Override
	protected Class<?> userType() {
		return JdbcConnectionDetails.class;
	}

	@Override
	protected Object userBean() {
		return new UserConnectionDetails();
	}

	@Override
	protected Class<?> attachAutoConfiguration() {
		return JdbcAttachAutoConfiguration.class;
	}

	@Override
	protected AutoConfigurations autoConfigurations() {
		return AutoConfigurations.of(JdbcAttachAutoConfiguration.class, DataSourceAutoConfiguration.class,
				JdbcHealthAttachAutoConfiguration.class, DataSourceHealthContributorAutoConfiguration.class);
	}

	@Override
	protected String attachedPassword(ConfigurableApplicationContext context) {
		return context.getBean(JdbcConnectionDetails.class).getPassword();
	}

	@Override
	protected String bootIndicator() {
		return "db";
	}

	// With H2 on the classpath and nothing set, Boot runs an embedded database and checks it: in-process, no server.
	@Override
	protected boolean bootConfiguresAnEmbeddedDefault() {
		return true;
	}

	@Override
	protected String defaultReadiness() {
		return "required";
	}

	@Override
	protected boolean guarded() {
		return true;
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
			return "jdbc:h2:mem:contract-user";
		}

	}

}
