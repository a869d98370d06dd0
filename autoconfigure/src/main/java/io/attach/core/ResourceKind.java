package io.attach.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * What attach knows about one kind of backing service, declared once in the kind's own package.
 * <p>
 * Each kind subclasses this with a constructor that passes its {@link #define definition}, and registers the subclass
 * in {@code META-INF/spring.factories} under this class's name; {@link ResourceKinds} finds them the way Boot finds
 * its {@code ConnectionDetailsFactory} implementations. Core reads only what a descriptor declares, so it knows no
 * kind by name.
 *
 * @author attach
 */
public abstract class ResourceKind {

	/**
	 * The Testcontainers auto-configuration a kind's connection details come after, so that a
	 * {@code @ServiceConnection} wins over the kind's URL; named because Testcontainers is not a dependency.
	 */
	public static final String SERVICE_CONNECTION_AUTO_CONFIGURATION = "org.springframework.boot.testcontainers"
			+ ".service.connection.ServiceConnectionAutoConfiguration";

	private final String id;

	private final String resource;

	private final List<String> variables;

	private final List<String> schemes;

	private final ReadinessRole defaultRole;

	private final boolean lonePasswordToken;

	private final boolean guarded;

	private final boolean urlLists;

	private final @Nullable String bootHealthIndicator;

	private final boolean bootCheckOffWhenUnused;

	private final List<String> bootProperties;

	private final @Nullable String backendVariable;

	private final List<Backend> backends;

	private final @Nullable String exampleUrl;

	private final @Nullable String libraryClass;

	private final List<String> failures;

	private final @Nullable String connectionDetailsType;

	private final @Nullable String connectionDetailsOfTheUrl;

	private final @Nullable String standIn;

	/**
	 * Creates the descriptor of a kind.
	 * @param definition the kind's definition, from {@link #define(String, String)}
	 */
	protected ResourceKind(Definition definition) {
		Assert.state(!definition.variables.isEmpty(), () -> "Kind '" + definition.id + "' names no variable");
		Assert.state(!definition.schemes.isEmpty(), () -> "Kind '" + definition.id + "' names no scheme");
		this.id = definition.id;
		this.resource = definition.resource;
		this.variables = List.copyOf(definition.variables);
		this.schemes = List.copyOf(definition.schemes);
		this.defaultRole = definition.defaultRole;
		this.lonePasswordToken = definition.lonePasswordToken;
		this.guarded = definition.guarded;
		this.urlLists = definition.urlLists;
		this.bootHealthIndicator = definition.bootHealthIndicator;
		this.bootCheckOffWhenUnused = definition.bootCheckOffWhenUnused;
		this.bootProperties = List.copyOf(definition.bootProperties);
		this.backendVariable = definition.backendVariable;
		this.backends = List.copyOf(definition.backends);
		this.exampleUrl = definition.exampleUrl;
		this.libraryClass = definition.libraryClass;
		this.failures = List.copyOf(definition.failures);
		this.connectionDetailsType = definition.connectionDetailsType;
		this.connectionDetailsOfTheUrl = definition.connectionDetailsOfTheUrl;
		this.standIn = definition.standIn;
	}

	/**
	 * Starts the definition of a kind.
	 * @param id the kind's short name shown in logs, endpoints and metric tags, such as {@code jdbc}
	 * @param resource the name of the resource it attaches, the key under {@code attach.resources}, such as
	 * {@code database}
	 * @return the definition, to complete
	 */
	protected static Definition define(String id, String resource) {
		return new Definition(id, resource);
	}

	/**
	 * Returns the short name shown in logs, endpoints and metric tags.
	 * @return the kind's id, such as {@code jdbc}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Returns the name of the resource this kind attaches from its variables.
	 * @return the resource name, such as {@code database}
	 */
	public String resource() {
		return this.resource;
	}

	/**
	 * Returns the environment variables read for the resource's URL, in order of preference.
	 * @return the variable names, such as {@code REDIS_URL} and its alias {@code CACHE_URL}
	 */
	public List<String> variables() {
		return this.variables;
	}

	/**
	 * Returns the property that holds the resource's URL ahead of its variables.
	 * @return {@code attach.resources.<resource>.url}
	 */
	public String urlProperty() {
		return "attach.resources." + this.resource + ".url";
	}

	/**
	 * Returns the URL schemes this kind accepts.
	 * @return the schemes, lower case
	 */
	public List<String> schemes() {
		return this.schemes;
	}

	/**
	 * Returns the readiness role a resource of this kind gets unless configured otherwise.
	 * @return the default role
	 */
	public ReadinessRole defaultRole() {
		return this.defaultRole;
	}

	/**
	 * Tells whether user info without a {@code :} is a password ({@code redis://s3cret@host}) rather than a user
	 * name ({@code postgres://app@host}). Redaction applies it by the setting a URL came from, never by the URL's
	 * scheme, and treats a lone token as secret for any setting that is not a kind's.
	 * @return whether a lone user-info token is secret
	 */
	public boolean lonePasswordToken() {
		return this.lonePasswordToken;
	}

	/**
	 * Tells whether calls to the resource go through a circuit breaker, which then gets attach's defaults rather
	 * than Resilience4j's window of 100 calls.
	 * @return whether the resource's breaker gets attach's defaults
	 */
	public boolean guarded() {
		return this.guarded;
	}

	/**
	 * Tells whether the kind's URL may be a comma-separated list of URLs of one scheme, the nodes of a cluster, which
	 * the kind reads from {@link ResourceUrl#urls()}; for any other kind such a list is refused at startup rather than
	 * read as its first URL.
	 * @return whether the kind takes a list of URLs
	 */
	public boolean takesUrlLists() {
		return this.urlLists;
	}

	/**
	 * Returns the name of Boot's own health indicator for this kind of service, such as {@code db}: the check
	 * attach replaces with its time-bounded one when the resource is attached, and whose
	 * {@code management.health.<name>.enabled} switches attach's check too.
	 * @return the indicator's name, or empty when Boot has none
	 */
	public Optional<String> bootHealthIndicator() {
		return Optional.ofNullable(this.bootHealthIndicator);
	}

	/**
	 * Tells whether Boot's check is turned off when the resource is not attached and none of the
	 * {@link #bootProperties() Boot properties} is set, because Boot would otherwise check a server on localhost
	 * that nobody configured.
	 * @return whether Boot's check is off for an unused kind
	 */
	public boolean bootCheckOffWhenUnused() {
		return this.bootCheckOffWhenUnused;
	}

	/**
	 * Returns the properties of Boot's own that configure this kind of service without attach, such as
	 * {@code spring.mail.host}: any of them set means the user chose the service, even with nothing attached.
	 * @return the property names
	 */
	public List<String> bootProperties() {
		return this.bootProperties;
	}

	/**
	 * Returns the backends the kind's work can go to, the first one the resource's URL selects.
	 * @return the backends, empty for a kind with no choice of backend
	 */
	public List<Backend> backends() {
		return this.backends;
	}

	/**
	 * Returns the environment variable that chooses the backend, read after {@link #backendProperty()}.
	 * @return the variable, such as {@code MAIL_BACKEND}, or empty for a kind without backends
	 */
	public Optional<String> backendVariable() {
		return Optional.ofNullable(this.backendVariable);
	}

	/**
	 * Returns the property that chooses the backend.
	 * @return {@code attach.<resource>.backend}
	 */
	public String backendProperty() {
		return "attach." + this.resource + ".backend";
	}

	/**
	 * Returns the backend of the given name.
	 * @param name the name, in any case
	 * @return the backend, or empty when the kind has none of that name
	 */
	public Optional<Backend> backend(String name) {
		return this.backends.stream().filter((backend) -> backend.name().equalsIgnoreCase(name.trim())).findFirst();
	}

	/**
	 * Returns a URL to show in messages as an example of the kind's variable.
	 * @return the example, without a real secret, or empty
	 */
	public Optional<String> exampleUrl() {
		return Optional.ofNullable(this.exampleUrl);
	}

	/**
	 * Returns a class of the library the kind's beans need; where it is absent, the kind's backend setting is not
	 * checked, since nothing would use it.
	 * @return the class name, or empty when the kind's beans need nothing optional
	 */
	public Optional<String> libraryClass() {
		return Optional.ofNullable(this.libraryClass);
	}

	/**
	 * Returns what the application gets for this kind when nothing attaches it and no backend stands in, as the
	 * startup summary says it.
	 * @return such as {@code Spring's cache without Redis}, or empty
	 */
	public Optional<String> standIn() {
		return Optional.ofNullable(this.standIn);
	}

	/**
	 * Tells whether a failure, or one of its causes, was thrown by this kind's client: an exception of one of the
	 * {@link Definition#failures(String...) failure types} or a subclass.
	 * @param failure the failure
	 * @return whether it is this kind's
	 */
	public boolean isFailureOf(Throwable failure) {
		for (Throwable cause : ConnectionProblem.causes(failure)) {
			for (Class<?> type = cause.getClass(); type != null; type = type.getSuperclass()) {
				if (this.failures.contains(type.getName())) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Tells whether a bean that attach did not build from the URL, such as a {@code @ServiceConnection}'s or the
	 * user's, holds the connection details of this kind in the given bean factory: the kind's client then connects
	 * where that bean says, and its failures are not the URL's. Reads bean definitions only, so that it can be asked
	 * after a failed refresh.
	 * @param beanFactory the application's bean factory
	 * @return whether another bean takes the URL's place; {@code false} for a kind that names no connection details
	 */
	public boolean isUrlOverriddenIn(ListableBeanFactory beanFactory) {
		ClassLoader classLoader = getClass().getClassLoader();
		if (this.connectionDetailsType == null || !ClassUtils.isPresent(this.connectionDetailsType, classLoader)) {
			return false;
		}
		Class<?> type = ClassUtils.resolveClassName(this.connectionDetailsType, classLoader);
		// Ancestors too, as @ConditionalOnMissingBean searches them when attach backs off.
		for (String name : BeanFactoryUtils.beanNamesForTypeIncludingAncestors(beanFactory, type, true, false)) {
			Class<?> beanType = beanFactory.getType(name, false);
			// A bean whose class cannot be told is not assumed to be attach's: the URL is blamed only when sure.
			if (beanType == null || !beanType.getName().equals(this.connectionDetailsOfTheUrl)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Explains a failure of this kind's client that is not a network or TLS failure, such as rejected credentials
	 * or a database that does not exist; those {@link ConnectionProblem#of} reads for every kind.
	 * @param failure the failure, of this kind
	 * @param resource the resource it happened on
	 * @return the problem, or empty when the kind has nothing to add
	 */
	public Optional<ConnectionProblem> explain(Throwable failure, AttachedResource resource) {
		return Optional.empty();
	}

	/**
	 * Tells whether a setting holds this kind's URL: one of its variables or {@link #urlProperty()}.
	 * @param setting the variable or property name
	 * @return whether the setting is this kind's
	 */
	public boolean isSetting(String setting) {
		return this.variables.contains(setting) || urlProperty().equals(setting);
	}

	@Override
	public String toString() {
		return this.id;
	}

	/**
	 * Where a kind's work can go: to the attached resource, or somewhere that needs no server, such as the log.
	 *
	 * @param name the backend's name, as {@code XXX_BACKEND} takes it, lower case
	 * @param schemes the URL schemes that select it when the resource is attached
	 * @param needsResource whether choosing it without the resource attached is a mistake
	 * @param purpose what it does, completing "'name' to …", such as {@code log mail instead of sending it}
	 */
	public record Backend(String name, List<String> schemes, boolean needsResource, String purpose) {

		/**
		 * Creates a backend.
		 * @param name the backend's name
		 * @param schemes the schemes that select it
		 * @param needsResource whether it needs the resource attached
		 * @param purpose what it does
		 */
		public Backend {
			name = name.toLowerCase(Locale.ROOT);
			schemes = List.copyOf(schemes);
		}

		/**
		 * A backend that sends work to the attached resource, selected by the given schemes.
		 * @param name the backend's name
		 * @param purpose what it does
		 * @param schemes the schemes that select it
		 * @return the backend
		 */
		public static Backend attached(String name, String purpose, String... schemes) {
			return new Backend(name, List.of(schemes), true, purpose);
		}

		/**
		 * A backend that needs no server, for development.
		 * @param name the backend's name
		 * @param purpose what it does
		 * @return the backend
		 */
		public static Backend local(String name, String purpose) {
			return new Backend(name, List.of(), false, purpose);
		}

	}

	/**
	 * The definition of a kind, completed step by step and handed to {@link #ResourceKind(Definition)}.
	 */
	protected static final class Definition {

		private final String id;

		private final String resource;

		private final List<String> variables = new ArrayList<>();

		private final List<String> schemes = new ArrayList<>();

		private ReadinessRole defaultRole = ReadinessRole.DEGRADABLE;

		private boolean lonePasswordToken = true;

		private boolean guarded;

		private boolean urlLists;

		private @Nullable String bootHealthIndicator;

		private boolean bootCheckOffWhenUnused;

		private final List<String> bootProperties = new ArrayList<>();

		private @Nullable String backendVariable;

		private final List<Backend> backends = new ArrayList<>();

		private @Nullable String exampleUrl;

		private @Nullable String libraryClass;

		private final List<String> failures = new ArrayList<>();

		private @Nullable String connectionDetailsType;

		private @Nullable String connectionDetailsOfTheUrl;

		private @Nullable String standIn;

		private Definition(String id, String resource) {
			this.id = id;
			this.resource = resource;
		}

		/**
		 * Sets the variables read for the URL, the conventional one first and its aliases after it.
		 * @param variables the variable names
		 * @return this definition
		 */
		public Definition variables(String... variables) {
			this.variables.addAll(List.of(variables));
			return this;
		}

		/**
		 * Sets the URL schemes the kind accepts.
		 * @param schemes the schemes, lower case
		 * @return this definition
		 */
		public Definition schemes(String... schemes) {
			this.schemes.addAll(List.of(schemes));
			return this;
		}

		/**
		 * Sets the readiness role a resource of the kind gets unless configured; degradable when not set.
		 * @param role the default role
		 * @return this definition
		 */
		public Definition readiness(ReadinessRole role) {
			this.defaultRole = role;
			return this;
		}

		/**
		 * Says that user info without a {@code :} is a user name, shown when redacted, as JDBC drivers read it.
		 * Without this, a lone token is a password and masked.
		 * @return this definition
		 */
		public Definition loneTokenIsUserName() {
			this.lonePasswordToken = false;
			return this;
		}

		/**
		 * Says that calls to the resource go through a circuit breaker, which gets attach's defaults.
		 * @return this definition
		 */
		public Definition guarded() {
			this.guarded = true;
			return this;
		}

		/**
		 * Says that the kind's URL may be a comma-separated list of URLs of one scheme, which the kind reads from
		 * {@link ResourceUrl#urls()}. Without this, such a list is refused.
		 * @return this definition
		 */
		public Definition urlLists() {
			this.urlLists = true;
			return this;
		}

		/**
		 * Names Boot's health indicator that attach's check replaces when the resource is attached.
		 * @param indicator the indicator's name, such as {@code db}
		 * @return this definition
		 */
		public Definition replacesBootCheck(String indicator) {
			this.bootHealthIndicator = indicator;
			return this;
		}

		/**
		 * Names the properties of Boot's own that configure the service without attach.
		 * @param properties the property names, such as {@code spring.mail.host}
		 * @return this definition
		 */
		public Definition bootProperties(String... properties) {
			this.bootProperties.addAll(List.of(properties));
			return this;
		}

		/**
		 * Says that Boot's check, named by {@link #replacesBootCheck(String)}, is turned off when the resource is
		 * not attached and no {@link #bootProperties(String...) Boot property} is set, because Boot would check a
		 * server on localhost.
		 * @return this definition
		 */
		public Definition bootCheckOffWhenUnused() {
			this.bootCheckOffWhenUnused = true;
			return this;
		}

		/**
		 * Sets the backends the kind's work can go to and the variable that chooses one.
		 * @param variable the variable, such as {@code MAIL_BACKEND}
		 * @param backends the backends; an attached resource selects the one whose schemes hold its URL's
		 * @return this definition
		 */
		public Definition backends(String variable, Backend... backends) {
			this.backendVariable = variable;
			this.backends.addAll(List.of(backends));
			return this;
		}

		/**
		 * Sets a URL to show in messages as an example.
		 * @param url the example, with no real secret
		 * @return this definition
		 */
		public Definition exampleUrl(String url) {
			this.exampleUrl = url;
			return this;
		}

		/**
		 * Names a class of the library the kind's beans need.
		 * @param className the class name
		 * @return this definition
		 */
		public Definition library(String className) {
			this.libraryClass = className;
			return this;
		}

		/**
		 * Names the exceptions, and their subclasses, that the kind's client throws when the resource cannot be
		 * reached or used, so that a failure at startup is reported as the resource's.
		 * @param classNames the exception class names
		 * @return this definition
		 */
		public Definition failures(String... classNames) {
			this.failures.addAll(List.of(classNames));
			return this;
		}

		/**
		 * Names the type of Boot's connection details the kind's URL becomes and attach's class of it, built from
		 * the URL. A bean of that type of another class (the user's, a {@code @ServiceConnection}'s, Docker
		 * Compose's) takes the URL's place, so that a failure of the kind's client at startup is then not reported as
		 * the URL's.
		 * @param type the connection details type, such as Boot's {@code JdbcConnectionDetails}
		 * @param fromUrl attach's class of it
		 * @return this definition
		 */
		public Definition connectionDetails(String type, String fromUrl) {
			this.connectionDetailsType = type;
			this.connectionDetailsOfTheUrl = fromUrl;
			return this;
		}

		/**
		 * Says what the application gets for the kind when nothing attaches it and no backend stands in.
		 * @param description such as {@code Spring's cache without Redis}
		 * @return this definition
		 */
		public Definition standIn(String description) {
			this.standIn = description;
			return this;
		}

	}

}
