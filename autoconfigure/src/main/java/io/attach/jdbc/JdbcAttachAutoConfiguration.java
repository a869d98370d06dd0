package io.attach.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.core.ConnectionDetailsPrecedenceLogger;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceUrl;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that turns
 * {@code DATABASE_URL} into {@link JdbcConnectionDetails}, so that Boot's DataSource, Flyway and Liquibase use it.
 * <p>
 * A {@code JdbcConnectionDetails} bean of the user's or of a {@code @ServiceConnection} wins over
 * {@code DATABASE_URL}, which wins over {@code spring.datasource.*}. Connect and socket timeouts go into the JDBC
 * URL; the pool's wait for a connection is bounded too, and skipped while the database is known to be down.
 *
 * @author attach
 */
@AutoConfiguration(after = AttachAutoConfiguration.class, before = DataSourceAutoConfiguration.class,
		afterName = ResourceKind.SERVICE_CONNECTION_AUTO_CONFIGURATION)
@ConditionalOnClass({ DataSource.class, EmbeddedDatabaseType.class, JdbcConnectionDetails.class })
@ConditionalOnAttachedResource("database")
@EnableConfigurationProperties(AttachJdbcProperties.class)
public final class JdbcAttachAutoConfiguration {

	private static final Log logger = LogFactory.getLog(JdbcAttachAutoConfiguration.class);

	@Bean
	@ConditionalOnClass(HikariDataSource.class)
	static HikariPoolTimeoutPostProcessor attachHikariPoolTimeoutPostProcessor() {
		return new HikariPoolTimeoutPostProcessor();
	}

	@Bean
	@ConditionalOnClass(name = { "io.github.resilience4j.bulkhead.Bulkhead",
			"org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory" })
	static ConnectionGuardPostProcessor attachConnectionGuardPostProcessor() {
		return new ConnectionGuardPostProcessor();
	}

	@Bean
	ConnectionDetailsPrecedenceLogger attachConnectionDetailsPrecedenceLogger(AttachedResources resources,
			ObjectProvider<JdbcConnectionDetails> connectionDetails) {
		return new ConnectionDetailsPrecedenceLogger(resources.get("database").orElseThrow(), connectionDetails,
				DatabaseUrlJdbcConnectionDetails.class);
	}

	@Bean
	@ConditionalOnMissingBean(JdbcConnectionDetails.class)
	DatabaseUrlJdbcConnectionDetails jdbcConnectionDetails(AttachedResources resources,
			AttachJdbcProperties properties, ResourceLoader resourceLoader) {
		ResourceUrl url = resources.get("database").orElseThrow().url();
		DatabaseUrl databaseUrl = DatabaseUrl.of(url, properties, resourceLoader.getClassLoader());
		if (properties.isVerifyPeer()) {
			DatabaseTls.unencryptedWarning(url).ifPresent(logger::warn);
			DatabaseTls.unverifiedWarning(url).ifPresent(logger::warn);
		}
		else {
			// The setting's name and the scheme only, never the URL.
			String setting = url.setting();
			String scheme = url.scheme();
			if (scheme.equals("jdbc") || scheme.equals("h2")) {
				logger.warn(DatabaseTls.VERIFY_PEER + " is false, but has no effect: " + setting + " is a " + scheme
						+ ": URL, passed on as written. Set the driver's own TLS parameters in it instead.");
			}
			else {
				logger.warn(DatabaseTls.VERIFY_PEER + " is false: " + setting + " is reached over TLS without"
						+ " verifying the server's certificate, so anyone on the path can pose as the database and"
						+ " read its password. Use it only where the platform owns " + setting
						+ " and signs with a CA of its own.");
			}
		}
		DriverParameters.unreadWarning(url, databaseUrl, resourceLoader.getClassLoader()).ifPresent(logger::warn);
		return new DatabaseUrlJdbcConnectionDetails(databaseUrl);
	}

}
