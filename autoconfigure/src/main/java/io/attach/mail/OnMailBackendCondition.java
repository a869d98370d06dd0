package io.attach.mail;

import java.util.Map;
import java.util.Objects;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnMailBackend @ConditionalOnMailBackend}.
 *
 * @author attach
 */
class OnMailBackendCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = Objects
			.requireNonNull(metadata.getAnnotationAttributes(ConditionalOnMailBackend.class.getName()));
		MailBackend wanted = (MailBackend) attributes.get("value");
		MailBackend chosen = MailBackend.resolve(context.getEnvironment());
		return (chosen == wanted) ? ConditionOutcome.match("mail backend is " + wanted)
				: ConditionOutcome.noMatch("mail backend is " + chosen + ", not " + wanted);
	}

}
