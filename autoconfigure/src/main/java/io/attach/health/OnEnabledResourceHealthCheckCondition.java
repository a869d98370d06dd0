package io.attach.health;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ResourceHealthCheck @ResourceHealthCheck}: the rule of Boot's
 * {@code @ConditionalOnEnabledHealthIndicator}, for the indicator the resource's kind replaces.
 *
 * @author attach
 */
class OnEnabledResourceHealthCheckCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String resource = HealthCheckNames.resource(metadata);
		String indicator = HealthCheckNames.indicator(resource);
		Environment environment = context.getEnvironment();
		ConditionMessage.Builder message = ConditionMessage.forCondition(ResourceHealthCheck.class, resource);
		String property = "management.health." + indicator + ".enabled";
		if (environment.containsProperty(property)) {
			boolean enabled = environment.getProperty(property, Boolean.class, true);
			return new ConditionOutcome(enabled, message.because(property + " is " + enabled));
		}
		boolean enabled = Boolean.parseBoolean(environment.getProperty("management.health.defaults.enabled", "true"));
		return new ConditionOutcome(enabled, message.because("management.health.defaults.enabled is " + enabled));
	}

}
