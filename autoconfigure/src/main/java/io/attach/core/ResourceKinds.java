package io.attach.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.ConcurrentReferenceHashMap;

/**
 * The {@link ResourceKind kinds} registered in {@code META-INF/spring.factories}, loaded once per class loader.
 *
 * @author attach
 */
public final class ResourceKinds {

	private static final Map<ClassLoader, List<ResourceKind>> cache = new ConcurrentReferenceHashMap<>();

	private ResourceKinds() {
	}

	/**
	 * Returns every kind registered where attach's own class loader looks, in registration order.
	 * @return the kinds
	 */
	public static List<ResourceKind> all() {
		return all(null);
	}

	/**
	 * Returns every kind registered where a class loader looks, in registration order: the application's sees kinds
	 * that attach's own may not, such as those of a project under DevTools' restart class loader.
	 * @param classLoader the application's class loader, or {@code null} for attach's own
	 * @return the kinds
	 */
	public static List<ResourceKind> all(@Nullable ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : ResourceKinds.class.getClassLoader();
		return cache.computeIfAbsent(loader, ResourceKinds::load);
	}

	/**
	 * Finds the kind whose resource has the given name, among those attach's own class loader sees.
	 * @param resource the resource name, such as {@code database}
	 * @return the kind, or empty for a resource name of the user's own
	 */
	public static Optional<ResourceKind> named(String resource) {
		return named(null, resource);
	}

	/**
	 * Finds the kind whose resource has the given name, among those a class loader sees.
	 * @param classLoader the application's class loader, or {@code null} for attach's own
	 * @param resource the resource name, such as {@code database}
	 * @return the kind, or empty for a resource name of the user's own
	 */
	public static Optional<ResourceKind> named(@Nullable ClassLoader classLoader, String resource) {
		return all(classLoader).stream().filter((kind) -> kind.resource().equals(resource)).findFirst();
	}

	/**
	 * Finds the kind with the given id.
	 * @param id the kind's id, such as {@code jdbc}
	 * @return the kind, or empty when none is registered
	 */
	public static Optional<ResourceKind> withId(String id) {
		return all().stream().filter((kind) -> kind.id().equals(id)).findFirst();
	}

	/**
	 * Finds the kind whose URL a setting holds.
	 * @param setting the variable or property name, such as {@code REDIS_URL}
	 * @return the kind, or empty for a setting attach knows nothing about
	 */
	public static Optional<ResourceKind> forSetting(String setting) {
		return all().stream().filter((kind) -> kind.isSetting(setting)).findFirst();
	}

	/**
	 * Finds the kind that accepts a URL scheme.
	 * @param scheme the scheme, in any case
	 * @return the kind, or empty when no kind accepts the scheme
	 */
	public static Optional<ResourceKind> forScheme(String scheme) {
		String lowerCase = scheme.toLowerCase();
		return all().stream().filter((kind) -> kind.schemes().contains(lowerCase)).findFirst();
	}

	/**
	 * Returns every scheme attach accepts, for error messages.
	 * @return the schemes of all kinds
	 */
	public static List<String> allSchemes() {
		return all().stream().flatMap((kind) -> kind.schemes().stream()).toList();
	}

	private static List<ResourceKind> load(ClassLoader classLoader) {
		List<ResourceKind> kinds = SpringFactoriesLoader.forDefaultResourceLocation(classLoader)
			.load(ResourceKind.class);
		// Two kinds claiming one name would make the answer depend on the classpath's order: refuse it.
		requireUnique(kinds, "id", (kind) -> List.of(kind.id()));
		requireUnique(kinds, "resource", (kind) -> List.of(kind.resource()));
		requireUnique(kinds, "variable", ResourceKind::variables);
		requireUnique(kinds, "scheme", ResourceKind::schemes);
		return List.copyOf(kinds);
	}

	private static void requireUnique(List<ResourceKind> kinds, String what,
			Function<ResourceKind, List<String>> names) {
		Map<String, ResourceKind> seen = new HashMap<>();
		for (ResourceKind kind : kinds) {
			for (String name : names.apply(kind)) {
				ResourceKind other = seen.putIfAbsent(name, kind);
				if (other != null) {
					throw new IllegalStateException("Resource kinds " + other.getClass().getName() + " and "
							+ kind.getClass().getName() + " both declare the " + what + " '" + name + "'");
				}
			}
		}
	}

}
