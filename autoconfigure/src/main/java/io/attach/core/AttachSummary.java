package io.attach.core;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * Logs, once the application's beans exist, one summary of every resource kind: the setting it is attached from, or
 * what stands in for it, so that a development start says the database is Boot's own and mail goes to the log.
 *
 * @author attach
 */
final class AttachSummary implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(AttachSummary.class);

	private final AttachedResources resources;

	private final Environment environment;

	private final List<ResourceKind> kinds;

	AttachSummary(AttachedResources resources, Environment environment, List<ResourceKind> kinds) {
		this.resources = resources;
		this.environment = environment;
		this.kinds = kinds;
	}

	@Override
	public void afterSingletonsInstantiated() {
		logger.info("Resources: " + String.join("; ", lines()));
	}

	List<String> lines() {
		List<String> lines = new ArrayList<>();
		for (ResourceKind kind : this.kinds) {
			lines.add(this.resources.get(kind.resource())
				.map((resource) -> resource.name() + " from " + resource.setting())
				.orElseGet(() -> kind.resource() + " not attached (no " + kind.variables().get(0) + "): "
						+ standIn(kind)));
		}
		return lines;
	}

	private String standIn(ResourceKind kind) {
		return ResourceUse.bootProperty(this.environment, kind)
			.map((property) -> "Spring Boot's own, from " + property)
			.orElseGet(() -> backend(kind));
	}

	private String backend(ResourceKind kind) {
		try {
			ResourceKind.Backend backend = Backends.resolve(this.environment, kind);
			if (backend != null && !backend.needsResource()) {
				return "the " + backend.name() + " backend, to " + backend.purpose();
			}
		}
		catch (RuntimeException ex) {
			// A backend setting that cannot be used has failed startup already.
		}
		return kind.standIn().orElse("nothing stands in for it");
	}

}
