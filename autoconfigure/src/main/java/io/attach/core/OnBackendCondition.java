package io.attach.core;

import java.util.Map;
import java.util.Objects;

import io.attach.core.ResourceKind.Backend;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnBackend @ConditionalOnBackend}.
 *
 * @author attach
 */
class OnBackendCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = Objects
			.requireNonNull(metadata.getAnnotationAttributes(ConditionalOnBackend.class.getName()));
		String resource = (String) Objects.requireNonNull(attributes.get("resource"));
		String wanted = (String) Objects.requireNonNull(attributes.get("value"));
		ResourceKind kind = ResourceKinds.named(context.getClassLoader(), resource)
			.orElseThrow(() -> new IllegalStateException("No resource kind attaches '" + resource + "'"));
		Backend chosen = Backends.resolve(context.getEnvironment(), kind);
		String name = (chosen != null) ? chosen.name() : "none";
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnBackend.class, resource);
		return name.equalsIgnoreCase(wanted) ? ConditionOutcome.match(message.because(resource + " backend is " + name))
				: ConditionOutcome.noMatch(message.because(resource + " backend is " + name + ", not " + wanted));
	}

}
