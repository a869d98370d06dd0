package io.attach.health;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;

/**
 * Gives a resource's health check bean the name of the check of Boot's it replaces, such as
 * {@code dbHealthContributor}: Boot's check backs off for a bean of that name.
 * <p>
 * Runs when the marked configuration's beans are registered, before Boot's health configurations, which come after
 * it, look for the name.
 *
 * @author attach
 */
class BootHealthCheckAliasRegistrar implements ImportBeanDefinitionRegistrar {

	@Override
	public void registerBeanDefinitions(AnnotationMetadata importingClassMetadata, BeanDefinitionRegistry registry) {
		String resource = HealthCheckNames.resource(importingClassMetadata);
		String bean = HealthCheckNames.bean(resource);
		String alias = HealthCheckNames.bean(HealthCheckNames.indicator(resource));
		if (alias.equals(bean) || !registry.containsBeanDefinition(bean) || registry.isBeanNameInUse(alias)) {
			return;
		}
		// Only the configuration's own check: a user's bean of that name never silences Boot's check through us.
		if (registry.getBeanDefinition(bean) instanceof AnnotatedBeanDefinition definition) {
			MethodMetadata factoryMethod = definition.getFactoryMethodMetadata();
			if (factoryMethod != null
					&& factoryMethod.getDeclaringClassName().equals(importingClassMetadata.getClassName())) {
				registry.registerAlias(bean, alias);
			}
		}
	}

}
