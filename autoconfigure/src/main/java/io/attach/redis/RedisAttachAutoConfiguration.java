package io.attach.redis;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.core.ConnectionDetailsPrecedenceLogger;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceUrl;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that turns
 * {@code REDIS_URL} (or {@code CACHE_URL}) into {@link DataRedisConnectionDetails}, with finite Lettuce timeouts.
 * <p>
 * A {@code DataRedisConnectionDetails} bean of the user's or of a {@code @ServiceConnection} wins over
 * {@code REDIS_URL}, which wins over {@code spring.data.redis.*}.
 *
 * @author attach
 */
@AutoConfiguration(after = AttachAutoConfiguration.class, before = DataRedisAutoConfiguration.class,
		afterName = ResourceKind.SERVICE_CONNECTION_AUTO_CONFIGURATION)
@ConditionalOnClass({ DataRedisConnectionDetails.class, LettuceConnectionFactory.class })
@ConditionalOnAttachedResource("cache")
@EnableConfigurationProperties(AttachRedisProperties.class)
public final class RedisAttachAutoConfiguration {

	private static final Log logger = LogFactory.getLog(RedisAttachAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(DataRedisConnectionDetails.class)
	RedisUrlConnectionDetails redisConnectionDetails(AttachedResources resources, AttachRedisProperties properties) {
		ResourceUrl resourceUrl = resources.get("cache").orElseThrow().url();
		RedisUrl url = RedisUrl.of(resourceUrl);
		if (url.ssl() && !properties.isVerifyPeer()) {
			url = url.withoutPeerVerification();
			logger.warn("attach.redis.verify-peer is false: the certificate of the Redis server of "
					+ resourceUrl.setting() + " is not verified, so anyone on the path can pose as it and read the"
					+ " cache and its password. Use it only where the platform owns " + resourceUrl.setting()
					+ " and its certificate is self-signed.");
		}
		else if (url.ssl() && !url.verifyPeer()) {
			logger.warn(resourceUrl.setting() + " turns off certificate verification (ssl_cert_reqs=none,"
					+ " verifyPeer=false or skip_verify=true): anyone on the path can pose as the Redis server and read"
					+ " the cache and its password.");
		}
		resourceUrl.ignoredParametersWarning(RedisUrl.PARAMETERS).ifPresent(logger::warn);
		return new RedisUrlConnectionDetails(url);
	}

	@Bean
	ConnectionDetailsPrecedenceLogger attachRedisConnectionDetailsPrecedenceLogger(AttachedResources resources,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails) {
		return new ConnectionDetailsPrecedenceLogger(resources.get("cache").orElseThrow(), connectionDetails,
				RedisUrlConnectionDetails.class);
	}

	@Bean
	RedisUrlLettuceCustomizer attachRedisUrlLettuceCustomizer(ObjectProvider<RedisUrlConnectionDetails> details,
			AttachRedisProperties properties, Environment environment) {
		RedisUrlConnectionDetails ours = details.getIfAvailable();
		return new RedisUrlLettuceCustomizer((ours != null) ? ours.getUrl() : null, properties, environment);
	}

}
