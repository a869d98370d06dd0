package io.attach.core;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Condition behind {@link ConditionalOnAttachedResource}; it reads the declaration without parsing the URL.
 *
 * @author attach
 */
class OnAttachedResourceCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String name = metadata.getAnnotations().get(ConditionalOnAttachedResource.class).getString("value");
		ResourceDeclaration declaration = ResourceDeclaration.of(context.getEnvironment(), context.getClassLoader(),
				name);
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnAttachedResource.class, name);
		if (declaration.isAttached()) {
			return ConditionOutcome.match(message.foundExactly(declaration.setting()));
		}
		if (declaration.url() != null) {
			return ConditionOutcome.noMatch(message.because("attach.resources." + name + ".enabled is false"));
		}
		return ConditionOutcome.noMatch(message.didNotFind("URL").items(declaration.settings()));
	}

}
