package io.attach.cache;

import io.attach.core.ResourceUse;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when no cache is attached and the user chose none, where Boot would otherwise cache in a Redis on
 * localhost that nobody attached.
 *
 * @author attach
 */
class NoCacheChosenCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return ResourceUse.reason(context.getEnvironment(), "cache")
			.map(ConditionOutcome::noMatch)
			.orElseGet(() -> ConditionOutcome.match("no cache attached or chosen"));
	}

}
