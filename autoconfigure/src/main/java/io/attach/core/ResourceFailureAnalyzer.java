package io.attach.core;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Reports an attached resource that could not be reached or used at startup: the setting, the redacted URL, the
 * server, the cause in one line and the fix, instead of a stack trace whose cause is a hundred lines down.
 * <p>
 * Ahead of Boot's own analyzers, which report the same failures without naming the setting.
 *
 * @author attach
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ResourceFailureAnalyzer implements FailureAnalyzer {

	private final BeanFactory beanFactory;

	private final Environment environment;

	ResourceFailureAnalyzer(BeanFactory beanFactory, Environment environment) {
		this.beanFactory = beanFactory;
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		List<AttachedResource> resources;
		try {
			resources = AttachedResources.read(ResourceDeclaration.all(this.environment));
		}
		catch (RuntimeException ex) {
			// A setting that cannot be read is reported by its own analyzer.
			return null;
		}
		// A failure that is not one of reaching or logging in, such as a migration's bad SQL, is left to Boot.
		return resources.stream()
			.filter((resource) -> resource.kind().isFailureOf(failure))
			.filter((resource) -> !isOverridden(resource))
			.findFirst()
			.flatMap((resource) -> analyze(failure, resource))
			.orElse(null);
	}

	// With a @ServiceConnection's or the user's connection details, the client did not connect where the URL says.
	private boolean isOverridden(AttachedResource resource) {
		return this.beanFactory instanceof ListableBeanFactory listable && resource.kind().isUrlOverriddenIn(listable);
	}

	private Optional<FailureAnalysis> analyze(Throwable failure, AttachedResource resource) {
		String server = resource.server();
		return resource.kind()
			.explain(failure, resource)
			.or(() -> ConnectionProblem.of(failure, server, resource.setting()))
			.map((problem) -> analysis(failure, resource, server, problem));
	}

	private static FailureAnalysis analysis(Throwable failure, AttachedResource resource, String server,
			ConnectionProblem problem) {
		String description = String.format("%s (%s) could not be used at startup.%n%n    %s: %s%n    server: %s%n"
				+ "    cause: %s", resource.name(), resource.kind().id(), resource.setting(), resource.displayUrl(),
				server, problem.cause());
		return new FailureAnalysis(description, problem.fix(), failure);
	}


}
