package io.attach.redis;

import java.util.List;

import io.attach.kind.ResourceKindContractTests;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@link ResourceKindContractTests contract} run for {@code REDIS_URL} and {@code CACHE_URL}.
 *
 * @author attach
 */
class RedisResourceKindContractTests extends ResourceKindContractTests {

	@Override
	protected List<String> variables() {
		return List.of("REDIS_URL", "CACHE_URL");
	}

	@Override
	protected String resourceName() {
		return "cache";
	}

	@Override
	protected String url(String password) {
		return "redis://:" + password + "@127.0.0.1:" + closedPort() + "/0";
	}

	@Override
	protected String wrongSchemeUrl(String password) {
		return "postgres://app:" + password + "@127.0.0.1:" + closedPort() + "/app";
	}

	@Override
	protected Class<?> attachedType() {
		return RedisUrlConnectionDetails.class;
	}

	@Override
	protected Class<?> userType() {
		return DataRedisConnectionDetails.class;
	}

	@Override
	protected Object userBean() {
		return new UserConnectionDetails();
	}

	@Override
	protected Class<?> attachAutoConfiguration() {
		return RedisAttachAutoConfiguration.class;
	}

	@Override
	protected AutoConfigurations autoConfigurations() {
		return AutoConfigurations.of(RedisAttachAutoConfiguration.class, DataRedisAutoConfiguration.class,
				RedisHealthAttachAutoConfiguration.class, DataRedisHealthContributorAutoConfiguration.class);
	}

	@Override
	protected String attachedPassword(ConfigurableApplicationContext context) {
		return context.getBean(DataRedisConnectionDetails.class).getPassword();
	}

	@Override
	protected String bootIndicator() {
		return "redis";
	}

	@Override
	protected String defaultReadiness() {
		return "degradable";
	}

	@Override
	protected boolean guarded() {
		return true;
	}

	static class UserConnectionDetails implements DataRedisConnectionDetails {

		@Override
		public Standalone getStandalone() {
			return Standalone.of("127.0.0.1", closedPort());
		}

	}

}
