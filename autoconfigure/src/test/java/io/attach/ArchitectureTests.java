package io.attach;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules that keep each resource kind one package of its own, checked on the library's main classes.
 *
 * @author attach
 */
@AnalyzeClasses(packages = "io.attach", importOptions = ArchitectureTests.LibraryClassesOnly.class)
class ArchitectureTests {

	private static final String ROOT = "io.attach.";

	/** Packages every kind builds on; they know no kind. */
	private static final Set<String> SHARED = Set.of("core", "health", "resilience", "outbox");

	/** One package per resource kind, today's and those planned; a new kind is added here. */
	private static final Set<String> KINDS = Set.of("jdbc", "redis", "mail", "cache", "amqp", "messaging", "storage");

	/**
	 * The only dependencies allowed between kinds: a kind that is built on another one. The attached cache stores
	 * its values in the attached Redis, and messaging sends through the attached AMQP broker.
	 */
	private static final Map<String, Set<String>> BUILT_ON = Map.of("cache", Set.of("redis"), "messaging",
			Set.of("amqp"));

	@ArchTest
	static final ArchRule everyPackageIsSharedOrAKind = classes().that()
		.resideInAPackage("io.attach..")
		.should(resideInAKnownPackage())
		.because("a package that is neither shared nor a kind escapes the rules below: add it to SHARED or KINDS");

	@ArchTest
	static final ArchRule coreDependsOnNoOtherAttachPackage = noClasses().that()
		.resideInAPackage("io.attach.core..")
		.should()
		.dependOnClassesThat(resideInAPackage("io.attach..").and(not(resideInAPackage("io.attach.core.."))))
		.because("core is what every other package builds on, so it knows none of them, and no kind in particular");

	@ArchTest
	static final ArchRule sharedPackagesKnowNoKind = classes().that()
		.resideInAnyPackage(packages(SHARED))
		.should(dependWithinAttachOnlyOn(SHARED, Map.of()))
		.because("health, resilience and the outbox serve every kind, so a kind is added without touching them");

	@ArchTest
	static final ArchRule kindsNeverDependOnEachOther = classes().that()
		.resideInAnyPackage(packages(KINDS))
		.should(dependWithinAttachOnlyOn(SHARED, BUILT_ON))
		.because("a kind is one package that builds on the shared ones; only a kind built on another one uses it");

	@ArchTest
	static final ArchRule libraryNeverDependsOnTheSampleAppOrTestSupport = noClasses().that()
		.resideInAPackage("io.attach..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("io.attach.sample..", "io.attach.benchmarks..", "io.attach.test..");

	@ArchTest
	static final ArchRule packagesHaveNoCycles = slices().matching("io.attach.(*)..").should().beFreeOfCycles();

	private static String[] packages(Set<String> names) {
		return names.stream().map((name) -> ROOT + name + "..").toArray(String[]::new);
	}

	// The package right under io.attach that a class belongs to: "cache" for io.attach.cache.values.Profile.
	private static String topPackage(JavaClass javaClass) {
		String name = javaClass.getPackageName();
		if (!name.startsWith(ROOT)) {
			return "";
		}
		int end = name.indexOf('.', ROOT.length());
		return (end < 0) ? name.substring(ROOT.length()) : name.substring(ROOT.length(), end);
	}

	private static ArchCondition<JavaClass> resideInAKnownPackage() {
		return new ArchCondition<>("reside in a shared package " + new TreeSet<>(SHARED) + " or a kind "
				+ new TreeSet<>(KINDS)) {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				String top = topPackage(javaClass);
				boolean known = SHARED.contains(top) || KINDS.contains(top);
				events.add(new SimpleConditionEvent(javaClass, known,
						javaClass.getName() + " resides in io.attach." + top + ", which is neither shared nor a kind"));
			}

		};
	}

	private static ArchCondition<JavaClass> dependWithinAttachOnlyOn(Set<String> shared,
			Map<String, Set<String>> builtOn) {
		return new ArchCondition<>("depend, within io.attach, only on their own package, the shared ones "
				+ new TreeSet<>(shared) + " and the kind they are built on " + builtOn) {

			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				String own = topPackage(javaClass);
				for (Dependency dependency : javaClass.getDirectDependenciesFromSelf()) {
					JavaClass target = dependency.getTargetClass();
					if (!target.getPackageName().startsWith(ROOT)) {
						continue;
					}
					String other = topPackage(target);
					boolean allowed = other.equals(own) || shared.contains(other)
							|| builtOn.getOrDefault(own, Set.of()).contains(other);
					if (!allowed) {
						events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
					}
				}
			}

		};
	}

	/**
	 * Imports only the classes of this module's main output: a build that stops before {@code package} puts the test
	 * support's classes on the class path as a directory, not a jar, and they are not the library's.
	 */
	static final class LibraryClassesOnly implements ImportOption {

		private static final String LIBRARY = ArchitectureTests.class.getClassLoader()
			.getResource("io/attach/core/AttachAutoConfiguration.class")
			.toString()
			.replace("io/attach/core/AttachAutoConfiguration.class", "");

		@Override
		public boolean includes(Location location) {
			return location.asURI().toString().startsWith(LIBRARY);
		}

	}

}
