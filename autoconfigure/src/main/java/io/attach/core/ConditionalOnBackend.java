package io.attach.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the work of a kind's resource goes to the given backend, as {@link Backends} decides it.
 *
 * @author attach
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnBackendCondition.class)
public @interface ConditionalOnBackend {

	/**
	 * The resource whose kind has the backends, such as {@code mail}.
	 * @return the resource name
	 */
	String resource();

	/**
	 * The backend that must be chosen, such as {@code console}.
	 * @return the backend's name
	 */
	String value();

}
