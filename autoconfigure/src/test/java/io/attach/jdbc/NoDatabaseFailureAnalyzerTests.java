package io.attach.jdbc;

import io.attach.core.AttachAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link NoDatabaseFailureAnalyzer}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class NoDatabaseFailureAnalyzerTests {

	@Test
	void whenNoDatabaseCanBeConfiguredThenTheReportSaysHowToAttachOne(CapturedOutput output) {
		SpringApplication application = new SpringApplication(DataSourceOnly.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		// No embedded database to fall back on, as in an application that has only a server's driver.
		application.setResourceLoader(new DefaultResourceLoader(
				new FilteredClassLoader("org.h2", "org.hsqldb", "org.apache.derby")));
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("No database is attached: DATABASE_URL is not set")
			.contains("Set DATABASE_URL to the database's URL")
			.doesNotContain("Failed to configure a DataSource: 'url' attribute is not specified");
	}

	@Test
	void whenDatabaseUrlIsSetOrUnreadableThenBootsFailureIsLeftToBoot() throws Exception {
		Throwable failure = new IllegalStateException("Error creating bean", bootFailure());
		assertThat(new NoDatabaseFailureAnalyzer(new MockEnvironment()).analyze(failure)).isNotNull();
		assertThat(new NoDatabaseFailureAnalyzer(
				new MockEnvironment().withProperty("DATABASE_URL", "postgres://db/shop")).analyze(failure))
			.isNull();
		assertThat(new NoDatabaseFailureAnalyzer(new MockEnvironment().withProperty("DATABASE_URL", "postgres://db:x/s"))
			.analyze(failure)).isNull();
	}

	// Package-private in Boot, as thrown by DataSourceProperties.
	private static Throwable bootFailure() throws Exception {
		Class<?> type = Class.forName(
				"org.springframework.boot.jdbc.autoconfigure.DataSourceProperties$DataSourceBeanCreationException");
		java.lang.reflect.Constructor<?> constructor = type.getDeclaredConstructor(String.class,
				org.springframework.boot.jdbc.autoconfigure.DataSourceProperties.class,
				org.springframework.boot.jdbc.EmbeddedDatabaseConnection.class);
		constructor.setAccessible(true);
		return (Throwable) constructor.newInstance("Failed to determine a suitable driver class",
				new org.springframework.boot.jdbc.autoconfigure.DataSourceProperties(),
				org.springframework.boot.jdbc.EmbeddedDatabaseConnection.NONE);
	}

	@Test
	void whenAnotherFailureHappensThenItIsLeftToOtherAnalyzers() {
		assertThat(new NoDatabaseFailureAnalyzer(new MockEnvironment())
			.analyze(new IllegalStateException("unrelated"))).isNull();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
			DataSourceAutoConfiguration.class })
	static class DataSourceOnly {

	}

}
