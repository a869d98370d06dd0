package io.attach.cache;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * The classes a cached value may name: those of the application's packages, the packages of
 * {@code attach.cache.allowed-packages}, and the JDK's value and collection types. A class is judged by its name
 * alone, before it is loaded, so a name from the network never loads, let alone instantiates, anything else.
 *
 * @author attach
 */
final class CacheValueTypes extends PolymorphicTypeValidator.Base {

	private static final Set<String> JDK_TYPES = Set.of("java.lang.String", "java.lang.Boolean", "java.lang.Byte",
			"java.lang.Short", "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
			"java.lang.Character", "java.math.BigDecimal", "java.math.BigInteger", "java.util.ArrayList",
			"java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashMap", "java.util.LinkedHashMap",
			"java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.UUID",
			"java.util.Date", "java.util.Locale", "java.util.Currency", "java.util.Arrays$ArrayList");

	// What List.of, Map.of, Collections.unmodifiableList and friends return; Jackson reads them back as such.
	private static final List<String> JDK_COLLECTION_PREFIXES = List.of("java.util.ImmutableCollections$",
			"java.util.Collections$");

	private final List<String> packages;

	CacheValueTypes(List<String> packages) {
		this.packages = packages.stream().map((name) -> name.endsWith(".") ? name : name + ".").toList();
	}

	@Override
	public Validity validateSubClassName(DatabindContext context, JavaType baseType, String className) {
		return isAllowed(className) ? Validity.ALLOWED : Validity.DENIED;
	}

	@Override
	public Validity validateSubType(DatabindContext context, JavaType baseType, JavaType subType) {
		return Validity.DENIED;
	}

	boolean isAllowed(String className) {
		String name = componentName(className);
		if (name == null) {
			return true;
		}
		if (JDK_TYPES.contains(name) || name.startsWith("java.time.") && name.indexOf('.', 10) < 0) {
			return true;
		}
		if (JDK_COLLECTION_PREFIXES.stream().anyMatch(name::startsWith)) {
			return true;
		}
		return this.packages.stream().anyMatch(name::startsWith);
	}

	// The class of an array's elements, or null for an array of primitives.
	private static @Nullable String componentName(String className) {
		String name = className;
		while (name.startsWith("[")) {
			name = name.substring(1);
		}
		if (name.length() == className.length()) {
			return name;
		}
		return (name.startsWith("L") && name.endsWith(";")) ? name.substring(1, name.length() - 1) : null;
	}

}
