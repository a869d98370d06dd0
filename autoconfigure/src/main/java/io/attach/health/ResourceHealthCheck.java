package io.attach.health;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;

/**
 * Marks the auto-configuration of a resource's health check, whose bean is named {@code <resource>HealthContributor}.
 * <p>
 * Where the resource's kind {@link io.attach.core.ResourceKind#bootHealthIndicator() replaces a check of Boot's},
 * such as {@code db}, the configuration applies only when {@code management.health.db.enabled} (else
 * {@code management.health.defaults.enabled}) allows it, as Boot's own check does, and the bean also gets the name
 * {@code dbHealthContributor}, for which Boot's check backs off. Without such a check, the resource's own name is
 * read: {@code management.health.<resource>.enabled}.
 *
 * @author attach
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnEnabledResourceHealthCheckCondition.class)
@Import(BootHealthCheckAliasRegistrar.class)
public @interface ResourceHealthCheck {

	/**
	 * The resource checked, such as {@code database}.
	 * @return the resource name
	 */
	String value();

}
