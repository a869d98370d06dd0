package io.attach.amqp;

import java.util.List;

import io.attach.kind.ResourceKindContractTests;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.health.RabbitHealthContributorAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@link ResourceKindContractTests contract} run for {@code AMQP_URL}, {@code RABBITMQ_URL} and
 * {@code CLOUDAMQP_URL}.
 *
 * @author attach
 */
class AmqpResourceKindContractTests extends ResourceKindContractTests {

	@Override
	protected List<String> variables() {
		return List.of("AMQP_URL", "RABBITMQ_URL", "CLOUDAMQP_URL");
	}

	@Override
	protected String resourceName() {
		return "messaging";
	}

	@Override
	protected String url(String password) {
		return "amqp://app:" + password + "@127.0.0.1:" + closedPort() + "/orders";
	}

	@Override
	protected String wrongSchemeUrl(String password) {
		return "redis://:" + password + "@127.0.0.1:" + closedPort() + "/0";
	}

	@Override
	protected Class<?> attachedType() {
		return AmqpUrlConnectionDetails.class;
	}

	@Override
	protected Class<?> userType() {
		return RabbitConnectionDetails.class;
	}

	@Override
	protected Object userBean() {
		return new UserConnectionDetails();
	}

	@Override
	protected Class<?> attachAutoConfiguration() {
		return AmqpAttachAutoConfiguration.class;
	}

	@Override
	protected AutoConfigurations autoConfigurations() {
		return AutoConfigurations.of(AmqpAttachAutoConfiguration.class, RabbitAutoConfiguration.class,
				AmqpHealthAttachAutoConfiguration.class, RabbitHealthContributorAutoConfiguration.class);
	}

	@Override
	protected String attachedPassword(ConfigurableApplicationContext context) {
		return context.getBean(RabbitConnectionDetails.class).getPassword();
	}

	@Override
	protected String bootIndicator() {
		return "rabbit";
	}

	@Override
	protected String defaultReadiness() {
		return "degradable";
	}

	@Override
	protected boolean guarded() {
		return true;
	}

	static class UserConnectionDetails implements RabbitConnectionDetails {

		@Override
		public List<Address> getAddresses() {
			return List.of(new Address("127.0.0.1", closedPort()));
		}

	}

}
