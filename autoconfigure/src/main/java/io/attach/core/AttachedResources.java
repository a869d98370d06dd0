package io.attach.core;

import java.util.Comparator;
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

	private static boolean isPort(String path) {
		return !path.isEmpty() && path.length() <= 5 && path.chars().allMatch(Character::isDigit);
	}

	// A scheme one or two typing mistakes away from one the setting takes, such as postgress or redis-ssl.
	private static String didYouMean(String scheme, List<String> schemes) {
		return schemes.stream()
			.filter((candidate) -> distance(scheme, candidate) <= Math.min(2, candidate.length() / 3))
			.min(Comparator.comparingInt((candidate) -> distance(scheme, candidate)))
			.map((candidate) -> "Did you mean '" + candidate + "'? ")
			.orElse("");
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private static AttachedResource attach(ResourceDeclaration declaration) {
		// Only attached declarations come here, and an attached declaration has a URL.
		ResourceUrl url = ResourceUrl.of(declaration.setting(), Objects.requireNonNull(declaration.url()));
		ResourceKind declared = declaration.kind();
		List<String> schemes = (declared != null) ? declared.schemes() : ResourceKinds.allSchemes();
		if (!schemes.contains(url.scheme()) && url.opaque() && isPort(url.path())) {
			// host:port parses as a scheme and a path: say what was meant.
			throw url.invalid("is a host and port without a scheme",
					"Write it as " + schemes.get(0) + "://" + url.scheme() + ":" + url.path() + ", with the scheme.");
		}
		ResourceKind kind = (declared != null) ? declared
				: ResourceKinds.forScheme(url.scheme())
					.orElseThrow(() -> url.invalid("has the unknown scheme '" + url.scheme() + "'",
							didYouMean(url.scheme(), schemes) + "Use a scheme attach supports: " + schemes + "."));
		if (!kind.schemes().contains(url.scheme())) {
			throw url.invalid("has the scheme '" + url.scheme() + "', which " + url.setting() + " does not take",
					didYouMean(url.scheme(), schemes) + "Use one of the schemes " + kind.schemes() + ".");
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
