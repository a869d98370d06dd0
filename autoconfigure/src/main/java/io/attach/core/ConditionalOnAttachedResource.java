package io.attach.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the named resource is attached: its URL is set and it is not disabled.
 *
 * @author attach
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnAttachedResourceCondition.class)
public @interface ConditionalOnAttachedResource {

	/**
	 * The resource name, such as {@code database}.
	 * @return the resource name
	 */
	String value();

}
