package io.attach.amqp;

import com.rabbitmq.client.Channel;
import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.core.ConnectionDetailsPrecedenceLogger;
import io.attach.core.ResourceKind;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that turns
 * {@code AMQP_URL} (or {@code RABBITMQ_URL}, {@code CLOUDAMQP_URL}) into {@link RabbitConnectionDetails}, with verified
 * TLS for {@code amqps} and finite client timeouts, so that Boot's {@code RabbitTemplate} and
 * {@code @RabbitListener} containers use it.
 * <p>
 * A {@code RabbitConnectionDetails} bean of the user's or of a {@code @ServiceConnection} wins over {@code AMQP_URL},
 * which wins over {@code spring.rabbitmq.*}; so does a {@code ConnectionFactory} of the user's, and startup says so.
 *
 * @author attach
 */
@AutoConfiguration(after = AttachAutoConfiguration.class, before = RabbitAutoConfiguration.class,
		afterName = ResourceKind.SERVICE_CONNECTION_AUTO_CONFIGURATION)
@ConditionalOnClass({ RabbitConnectionDetails.class, CachingConnectionFactory.class, Channel.class })
@ConditionalOnAttachedResource(AmqpResourceKind.RESOURCE)
@EnableConfigurationProperties(AttachAmqpProperties.class)
public final class AmqpAttachAutoConfiguration {

	private static final Log logger = LogFactory.getLog(AmqpAttachAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(RabbitConnectionDetails.class)
	AmqpUrlConnectionDetails rabbitConnectionDetails(AttachedResources resources) {
		AmqpUrl url = AmqpUrl.of(resource(resources).url());
		url.warnings().forEach(logger::warn);
		return new AmqpUrlConnectionDetails(url);
	}

	@Bean
	ConnectionDetailsPrecedenceLogger attachAmqpConnectionDetailsPrecedenceLogger(AttachedResources resources,
			ObjectProvider<RabbitConnectionDetails> connectionDetails) {
		return new ConnectionDetailsPrecedenceLogger(resource(resources), connectionDetails,
				AmqpUrlConnectionDetails.class);
	}

	@Bean
	AmqpConnectionFactoryCustomizer attachAmqpConnectionFactoryCustomizer(
			ObjectProvider<AmqpUrlConnectionDetails> details, AttachAmqpProperties properties,
			Environment environment) {
		AmqpUrlConnectionDetails ours = details.getIfAvailable();
		return new AmqpConnectionFactoryCustomizer((ours != null) ? ours.getUrl() : null, properties, environment);
	}

	@Bean
	ConnectionFactoryPrecedenceLogger attachAmqpConnectionFactoryPrecedenceLogger(AttachedResources resources,
			ObjectProvider<ConnectionFactory> connectionFactories, ObjectProvider<AmqpUrlConnectionDetails> details,
			AmqpConnectionFactoryCustomizer customizer) {
		return new ConnectionFactoryPrecedenceLogger(resource(resources), connectionFactories, details, customizer);
	}

	private static AttachedResource resource(AttachedResources resources) {
		return resources.get(AmqpResourceKind.RESOURCE).orElseThrow();
	}

}
