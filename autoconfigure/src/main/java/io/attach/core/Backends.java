package io.attach.core;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.attach.core.ResourceKind.Backend;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Decides where a kind's work goes: {@code attach.<resource>.backend}, else {@code XXX_BACKEND}, else the backend
 * the attached resource's URL selects, else the first one that needs no server.
 *
 * @author attach
 */
public final class Backends {

	private Backends() {
	}

	/**
	 * Decides a kind's backend.
	 * @param environment the environment
	 * @param kind a kind with backends
	 * @return the backend, or {@code null} when nothing chose one and the user configured the service through Boot's
	 * own properties, which then apply
	 * @throws InvalidSettingException if the setting names no backend of the kind, or one that needs the resource
	 * while it is not attached
	 */
	public static @Nullable Backend resolve(Environment environment, ResourceKind kind) {
		ResourceDeclaration declaration = ResourceDeclaration.of(environment, kind);
		String setting = kind.backendProperty();
		String value = environment.getProperty(setting);
		if (!StringUtils.hasText(value) && kind.backendVariable().isPresent()) {
			setting = kind.backendVariable().get();
			value = environment.getProperty(setting);
		}
		if (StringUtils.hasText(value)) {
			return chosen(kind, declaration, setting, value.trim());
		}
		String url = declaration.url();
		if (declaration.isAttached() && url != null) {
			String scheme = scheme(url);
			return kind.backends()
				.stream()
				.filter((backend) -> backend.schemes().contains(scheme))
				.findFirst()
				.orElseGet(() -> kind.backends().stream().filter(Backend::needsResource).findFirst().orElse(null));
		}
		if (ResourceUse.bootProperty(environment, kind).isPresent()) {
			return null;
		}
		return developmentDefault(kind);
	}

	/**
	 * Tells whether the user chose the kind's backend by its property or variable; an empty one chooses nothing,
	 * as in {@link #resolve(Environment, ResourceKind)}.
	 * @param environment the environment
	 * @param kind the kind
	 * @return whether a backend setting has a value
	 */
	public static boolean isChosen(Environment environment, ResourceKind kind) {
		return StringUtils.hasText(environment.getProperty(kind.backendProperty()))
				|| kind.backendVariable().map((variable) -> StringUtils.hasText(environment.getProperty(variable)))
					.orElse(false);
	}

	/**
	 * Tells whether the stand-in for an unattached resource is what this environment intends: its backend was chosen,
	 * or the resource is listed in {@code attach.stand-ins}, which, unlike a backend setting, leaves an attached
	 * resource in use.
	 * @param environment the environment
	 * @param kind the kind
	 * @return whether a stand-in needs no warning
	 */
	public static boolean isIntended(Environment environment, ResourceKind kind) {
		return isChosen(environment, kind) || Binder.get(environment)
			.bind("attach.stand-ins", Bindable.listOf(String.class))
			.orElse(List.of())
			.stream()
			.anyMatch((name) -> name.trim().equalsIgnoreCase(kind.resource()));
	}

	private static Backend chosen(ResourceKind kind, ResourceDeclaration declaration, String setting, String value) {
		Backend backend = kind.backend(value)
			.orElseThrow(() -> new InvalidSettingException(setting,
					"is '" + value + "', which is not a " + kind.resource() + " backend",
					"Use " + kind.backends()
						.stream()
						.map((candidate) -> "'" + candidate.name() + "' to " + candidate.purpose())
						.collect(Collectors.joining(" or ")) + "."));
		if (backend.needsResource() && !declaration.isAttached()) {
			Backend fallback = developmentDefault(kind);
			String example = kind.exampleUrl().map((url) -> ", such as " + url).orElse("");
			String instead = (fallback != null)
					? ", or set " + setting + "=" + fallback.name() + " to " + fallback.purpose() : "";
			throw new InvalidSettingException(setting,
					"is '" + backend.name() + "' but " + declaration.settings() + " is not set",
					"Set " + kind.variables().get(0) + example + instead + ".");
		}
		return backend;
	}

	private static @Nullable Backend developmentDefault(ResourceKind kind) {
		List<Backend> local = kind.backends().stream().filter((backend) -> !backend.needsResource()).toList();
		return local.isEmpty() ? null : local.get(0);
	}

	private static String scheme(String url) {
		int colon = url.indexOf(':');
		return (colon > 0) ? url.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
	}

}
