package io.attach.sample.users;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * The annotated string is an address that mail servers accept as a recipient: a plain {@code local@domain.tld} of
 * ASCII, at most 254 characters, with no display name, comment, quoting, IP literal or control character.
 *
 * @author attach
 */
@Documented
@Constraint(validatedBy = MailAddressValidator.class)
@Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT })
@Retention(RetentionPolicy.RUNTIME)
public @interface MailAddress {

	String message() default "must be an e-mail address such as name@example.com";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

}
