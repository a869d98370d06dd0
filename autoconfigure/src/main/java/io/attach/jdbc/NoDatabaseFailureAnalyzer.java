package io.attach.jdbc;

import io.attach.core.ConnectionProblem;
import io.attach.core.ResourceDeclaration;
import io.attach.core.ResourceKinds;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Says how to attach a database when Boot cannot configure a {@code DataSource} and {@code DATABASE_URL} is not set,
 * ahead of Boot's report, which names only {@code spring.datasource.url}.
 *
 * @author attach
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class NoDatabaseFailureAnalyzer implements FailureAnalyzer {

	// Package-private in Boot: known by name.
	private static final String BOOT_FAILURE = "org.springframework.boot.jdbc.autoconfigure.DataSourceProperties"
			+ "$DataSourceBeanCreationException";

	private final Environment environment;

	NoDatabaseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		Throwable cause = ConnectionProblem.causes(failure)
			.stream()
			.filter((each) -> each.getClass().getName().equals(BOOT_FAILURE))
			.findFirst()
			.orElse(null);
		if (cause == null || isAttached()) {
			return null;
		}
		String description = "No database is attached: DATABASE_URL is not set, and no embedded database (H2, HSQLDB "
				+ "or Derby) is on the classpath, so Spring Boot cannot configure a DataSource.";
		String action = "Set DATABASE_URL to the database's URL, such as postgres://app:secret@db.internal:5432/app "
				+ "(or spring.datasource.url), or, for development, add an embedded database such as "
				+ "com.h2database:h2 to the classpath.";
		return new FailureAnalysis(description, action, cause);
	}

	private boolean isAttached() {
		try {
			return ResourceKinds.named("database")
				.map((kind) -> ResourceDeclaration.of(this.environment, kind).isAttached())
				.orElse(false);
		}
		catch (RuntimeException ex) {
			// A URL that cannot be read is its own report.
			return true;
		}
	}

}
