package io.attach.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The resources the application is attached to, parsed once at startup and logged one line each, redacted.
 *
 * @author attach
 */
public final class AttachedResources {

	private static final Log logger = LogFactory.getLog(AttachedResources.class);

	private final Map<String, AttachedResource> resources = new LinkedHashMap<>();

	/**
	 * Parses every attached declaration.
	 * @param declarations the declarations read from the environment
	 * @throws InvalidResourceUrlException if a URL is malformed or of the wrong kind
	 */
	public AttachedResources(List<ResourceDeclaration> declarations) {
		for (ResourceDeclaration declaration : declarations) {
			if (declaration.isAttached()) {
				AttachedResource resource = attach(declaration);
				this.resources.put(resource.name(), resource);
				String description = resource.name() + " (" + resource.kind().id() + ") from " + resource.setting()
						+ ": " + resource.displayUrl() + " [readiness: " + resource.readiness().name().toLowerCase()
						+ "]";
				if (declaration.kind() != null) {
					logger.info("Attached " + description);
				}
				else {
					logger.warn("Declared " + description + ", but named resources are not wired to a bean yet");
				}
			}
			else if (declaration.url() != null) {
				logger.info("Not attaching " + declaration.name() + ": attach.resources." + declaration.name()
						+ ".enabled is false");
			}
		}
	}

	/**
	 * Parses the attached declarations without logging them, for a report that comes after startup logged them.
	 * @param declarations the declarations read from the environment
	 * @return the attached resources, in declaration order
	 * @throws InvalidResourceUrlException if a URL is malformed or of the wrong kind
	 */
	public static List<AttachedResource> read(List<ResourceDeclaration> declarations) {
		return declarations.stream().filter(ResourceDeclaration::isAttached).map(AttachedResources::attach).toList();
	}

	/**
	 * Returns the attached resource with the given name.
	 * @param name the resource name
	 * @return the resource, or empty when it is not attached
	 */
	public Optional<AttachedResource> get(String name) {
		return Optional.ofNullable(this.resources.get(name));
	}

	/**
	 * Returns every attached resource in declaration order.
	 * @return the resources
	 */
	public List<AttachedResource> all() {
		return List.copyOf(this.resources.values());
	}

	private static AttachedResource attach(ResourceDeclaration declaration) {
		// Only attached declarations come here, and an attached declaration has a URL.
		ResourceUrl url = ResourceUrl.of(declaration.setting(), Objects.requireNonNull(declaration.url()));
		ResourceKind declared = declaration.kind();
		ResourceKind kind = (declared != null) ? declared
				: ResourceKinds.forScheme(url.scheme())
					.orElseThrow(() -> url.invalid("has the unknown scheme '" + url.scheme() + "'",
							"Use a scheme attach supports: " + ResourceKinds.allSchemes() + "."));
		if (!kind.schemes().contains(url.scheme())) {
			throw url.invalid("has the scheme '" + url.scheme() + "', which " + url.setting() + " does not take",
					"Use one of the schemes " + kind.schemes() + ".");
		}
		if (url.isList() && !kind.takesUrlLists()) {
			// Read as its first URL, the list would silently leave out every node after the first.
			throw url.invalid("is a list of " + url.urls().size() + " URLs, but the " + kind.id() + " kind takes one URL",
					"Give one URL" + kind.exampleUrl().map((example) -> ", such as " + example).orElse("")
							+ ". Write ',' in a password as %2C.");
		}
		ReadinessRole readiness = (declaration.readiness() != null) ? declaration.readiness() : kind.defaultRole();
		return new AttachedResource(declaration.name(), kind, declaration.setting(), url, readiness);
	}

}
