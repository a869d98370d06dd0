package io.attach.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * What the environment says about one resource, before its URL is parsed.
 * <p>
 * Read the same way by the environment post-processors, the conditions and the beans, so they never disagree on
 * what is attached.
 *
 * @param name the resource name
 * @param kind the kind whose resource has that name, or {@code null} for a name of the user's own
 * @param setting the variable or property that holds the URL, or the first one to set when none is
 * @param url the URL, or {@code null} when unset
 * @param enabled whether the resource may be attached
 * @param readiness the configured readiness role, or {@code null} for the kind's default
 * @author attach
 */
public record ResourceDeclaration(String name, @Nullable ResourceKind kind, String setting,
		@Nullable String url, boolean enabled, @Nullable ReadinessRole readiness) {

	/**
	 * Tells whether the resource is to be attached: its URL is set and it is not disabled.
	 * @return whether the resource is attached
	 */
	public boolean isAttached() {
		return this.enabled && this.url != null;
	}

	@Override
	public String toString() {
		return this.name + " from " + this.setting
				+ ((this.url != null) ? ": " + UrlRedactor.redact(this.setting, this.url) : "");
	}

	/**
	 * Returns every setting that can attach this resource, for messages about a missing one.
	 * @return the settings, such as {@code DATABASE_URL or attach.resources.database.url}
	 */
	public String settings() {
		String property = "attach.resources." + this.name + ".url";
		return (this.kind != null) ? String.join(" or ", this.kind.variables()) + " (or " + property + ")" : property;
	}

	/**
	 * Reads the declaration of every kind's resource and every resource named under {@code attach.resources}.
	 * @param environment the environment to read
	 * @return the declarations, the kinds' resources first
	 */
	public static List<ResourceDeclaration> all(Environment environment) {
		return all(environment, null);
	}

	/**
	 * Reads the declaration of every kind a class loader sees and every resource named under
	 * {@code attach.resources}.
	 * @param environment the environment to read
	 * @param classLoader the application's class loader, or {@code null} for attach's own
	 * @return the declarations, the kinds' resources first
	 */
	public static List<ResourceDeclaration> all(Environment environment, @Nullable ClassLoader classLoader) {
		return all(properties(environment), environment, classLoader);
	}

	/**
	 * Reads the declaration of every kind's resource and every resource named in the properties.
	 * @param properties the bound {@code attach.*} properties
	 * @param environment the environment holding the kinds' variables
	 * @return the declarations, the kinds' resources first
	 */
	public static List<ResourceDeclaration> all(AttachProperties properties, Environment environment) {
		return all(properties, environment, null);
	}

	/**
	 * Reads the declaration of every kind a class loader sees and every resource named in the properties.
	 * @param properties the bound {@code attach.*} properties
	 * @param environment the environment holding the kinds' variables
	 * @param classLoader the application's class loader, or {@code null} for attach's own
	 * @return the declarations, the kinds' resources first
	 */
	public static List<ResourceDeclaration> all(AttachProperties properties, Environment environment,
			@Nullable ClassLoader classLoader) {
		Map<String, ResourceDeclaration> declarations = new LinkedHashMap<>();
		for (ResourceKind kind : ResourceKinds.all(classLoader)) {
			declarations.put(kind.resource(), declare(kind.resource(), kind, properties, environment));
		}
		properties.getResources()
			.keySet()
			.forEach((name) -> declarations.computeIfAbsent(name, (key) -> declare(key, null, properties, environment)));
		return new ArrayList<>(declarations.values());
	}

	/**
	 * Reads the declaration of one resource.
	 * @param environment the environment to read
	 * @param name the resource name
	 * @return the declaration, present even when the resource is not attached
	 */
	public static ResourceDeclaration of(Environment environment, String name) {
		return of(environment, null, name);
	}

	/**
	 * Reads the declaration of one resource, of a kind that a class loader sees or of the user's own.
	 * @param environment the environment to read
	 * @param classLoader the application's class loader, or {@code null} for attach's own
	 * @param name the resource name
	 * @return the declaration, present even when the resource is not attached
	 */
	public static ResourceDeclaration of(Environment environment, @Nullable ClassLoader classLoader, String name) {
		return all(environment, classLoader).stream()
			.filter((declaration) -> declaration.name().equals(name))
			.findFirst()
			.orElseGet(() -> new ResourceDeclaration(name, null, "attach.resources." + name + ".url", null, true,
					null));
	}

	/**
	 * Reads the declaration of a kind's resource.
	 * @param environment the environment to read
	 * @param kind the kind
	 * @return the declaration, present even when the resource is not attached
	 */
	public static ResourceDeclaration of(Environment environment, ResourceKind kind) {
		return declare(kind.resource(), kind, properties(environment), environment);
	}

	private static AttachProperties properties(Environment environment) {
		return Binder.get(environment).bind("attach", Bindable.of(AttachProperties.class)).orElseGet(AttachProperties::new);
	}

	private static ResourceDeclaration declare(String name, @Nullable ResourceKind kind,
			AttachProperties properties, Environment environment) {
		AttachProperties.Resource configured = Optional.ofNullable(properties.getResources().get(name))
			.orElseGet(AttachProperties.Resource::new);
		String setting = "attach.resources." + name + ".url";
		String url = configured.getUrl();
		if (!StringUtils.hasText(url) && kind != null) {
			setting = kind.variables().get(0);
			for (String variable : kind.variables()) {
				if (StringUtils.hasText(environment.getProperty(variable))) {
					setting = variable;
					url = environment.getProperty(variable);
					break;
				}
			}
		}
		return new ResourceDeclaration(name, kind, setting, StringUtils.hasText(url) ? url : null,
				configured.isEnabled(), configured.getReadiness());
	}

}
