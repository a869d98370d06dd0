package io.attach.outbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the environment chooses the given outbox store.
 *
 * @author attach
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OutboxStoreCondition.class)
@interface ConditionalOnOutboxStore {

	/**
	 * Returns the store that must be chosen.
	 * @return the store
	 */
	AttachOutboxProperties.Store value();

}
