package io.attach.cache;

import java.util.ArrayList;
import java.util.List;

import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceCircuitBreakers;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.util.ClassUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of Spring's cache: on the
 * attached Redis, degrading to the source when it fails; in memory when no cache is attached. A {@link CacheManager}
 * of the user's wins, and so does a {@code spring.cache.type} other than {@code redis}. Values are stored as JSON and
 * read back only as classes of the application's packages, {@code attach.cache.allowed-packages} and the JDK's value
 * types, unless a {@link RedisCacheConfiguration} bean of the user's chooses otherwise.
 *
 * @author attach
 */
@AutoConfiguration(before = CacheAutoConfiguration.class,
		after = { DataRedisAutoConfiguration.class, ResilienceAttachAutoConfiguration.class },
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ CacheManager.class, RedisConnectionFactory.class })
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@EnableConfigurationProperties(AttachCacheProperties.class)
public final class CacheAttachAutoConfiguration {

	private static final String JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAttachedResource("cache")
	@ConditionalOnBean({ RedisConnectionFactory.class, ResourceCircuitBreakers.class })
	@ConditionalOnProperty(name = "spring.cache.type", havingValue = "redis", matchIfMissing = true)
	static class AttachedCacheConfiguration {

		@Bean
		ResilientCacheManager cacheManager(RedisConnectionFactory connectionFactory, AttachCacheProperties properties,
				AttachedResources resources, ResourceCircuitBreakers breakers,
				ObjectProvider<RedisCacheConfiguration> userConfiguration,
				ObjectProvider<RedisCacheManagerBuilderCustomizer> customizers,
				ObjectProvider<MeterRegistry> meterRegistry, ListableBeanFactory beanFactory,
				ResourceLoader resourceLoader) {
			RedisCacheConfiguration defaults = userConfiguration
				.getIfAvailable(() -> defaults(properties, beanFactory, resourceLoader.getClassLoader()));
			// Written before put() returns, so that the next read sees it; Spring Data Redis defers otherwise.
			RedisCacheWriter writer = RedisCacheWriter.create(connectionFactory, (writes) -> writes.immediateWrites());
			RedisCacheManager.RedisCacheManagerBuilder builder = RedisCacheManager.RedisCacheManagerBuilder
				.fromCacheWriter(writer)
				.cacheDefaults(defaults);
			properties.getCaches()
				.forEach((name, cache) -> builder.withCacheConfiguration(name, defaults.entryTtl(cache.getTimeToLive())));
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return new ResilientCacheManager(builder.build(),
					breakers.forResource(resources.get("cache").orElseThrow()), meterRegistry.getIfAvailable());
		}

		private static RedisCacheConfiguration defaults(AttachCacheProperties properties, ListableBeanFactory beanFactory,
				@Nullable ClassLoader classLoader) {
			// Never Java serialization: whoever can write to a shared Redis would choose the classes instantiated here.
			if (!ClassUtils.isPresent(JSON_MAPPER, classLoader)) {
				throw new IllegalStateException("The attached cache stores values as JSON with Jackson 3, which is not on "
						+ "the classpath: add tools.jackson.core:jackson-databind (spring-boot-starter-jackson), or define "
						+ "a RedisCacheConfiguration bean that chooses a value serializer");
			}
			List<String> packages = new ArrayList<>(
					AutoConfigurationPackages.has(beanFactory) ? AutoConfigurationPackages.get(beanFactory) : List.of());
			packages.addAll(properties.getAllowedPackages());
			RedisSerializer<Object> values = JsonCacheValueSerializer.create(beanFactory, new CacheValueTypes(packages));
			RedisCacheConfiguration configuration = RedisCacheConfiguration.defaultCacheConfig()
				.serializeValuesWith(SerializationPair.fromSerializer(values))
				.entryTtl(properties.getTimeToLive());
			return (properties.getKeyPrefix() != null) ? configuration.prefixCacheNameWith(properties.getKeyPrefix())
					: configuration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(NoCacheChosenCondition.class)
	static class InMemoryCacheConfiguration {

		@Bean
		@ConditionalOnMissingBean(CacheManager.class)
		ConcurrentMapCacheManager cacheManager() {
			return new ConcurrentMapCacheManager();
		}

	}

}
