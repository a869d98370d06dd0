package io.attach.core;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the
 * {@link AttachedResources} every resource kind builds on.
 *
 * @author attach
 */
@AutoConfiguration
@EnableConfigurationProperties(AttachProperties.class)
public final class AttachAutoConfiguration {

	@Bean
	AttachedResources attachedResources(AttachProperties properties, Environment environment,
			ResourceLoader resourceLoader) {
		return new AttachedResources(
				ResourceDeclaration.all(properties, environment, resourceLoader.getClassLoader()));
	}

	@Bean
	AttachSummary attachSummary(AttachedResources resources, Environment environment,
			ResourceLoader resourceLoader) {
		return new AttachSummary(resources, environment, ResourceKinds.all(resourceLoader.getClassLoader()));
	}

}
