package io.attach.mail;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application's mail goes to the given {@link MailBackend}.
 *
 * @author attach
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnMailBackendCondition.class)
@interface ConditionalOnMailBackend {

	/**
	 * Returns the backend that must be chosen.
	 * @return the backend
	 */
	MailBackend value();

}
