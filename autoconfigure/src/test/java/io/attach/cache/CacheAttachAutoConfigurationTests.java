package io.attach.cache;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.attach.core.AttachAutoConfiguration;
import io.attach.redis.RedisAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.RedisCacheManagerBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCache;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CacheAttachAutoConfiguration} and {@link RedisAttachAutoConfiguration}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class CacheAttachAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				RedisAttachAutoConfiguration.class, DataRedisAutoConfiguration.class,
				CacheAttachAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class);

	@Test
	void whenNoUrlIsSetThenCacheIsInMemory() {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
			assertThat(context.getBean(DataRedisConnectionDetails.class).getClass().getName())
				.isNotEqualTo(RedisUrlConnectionDetailsAccess.TYPE);
		});
	}

	@Test
	void whenRedisUrlIsSetThenCacheIsResilientRedis() {
		this.contextRunner.withPropertyValues("REDIS_URL=redis://:s3cret@cache.internal:6380/2").run((context) -> {
			ResilientCacheManager cacheManager = context.getBean(ResilientCacheManager.class);
			assertThat(cacheManager.getCacheManager()).isInstanceOf(RedisCacheManager.class);
			DataRedisConnectionDetails details = context.getBean(DataRedisConnectionDetails.class);
			assertThat(details.getClass().getName()).isEqualTo(RedisUrlConnectionDetailsAccess.TYPE);
			assertThat(details.getStandalone().getHost()).isEqualTo("cache.internal");
			assertThat(details.getStandalone().getPort()).isEqualTo(6380);
			assertThat(details.getStandalone().getDatabase()).isEqualTo(2);
			assertThat(details.getPassword()).isEqualTo("s3cret");
		});
	}

	@Test
	void whenCacheUrlIsSetThenItAttachesTheCacheToo() {
		this.contextRunner.withPropertyValues("CACHE_URL=redis://cache.internal:6379")
			.run((context) -> assertThat(context).hasSingleBean(ResilientCacheManager.class));
	}

	@Test
	void whenUserDefinesConnectionDetailsThenRedisUrlBacksOffAndSaysSo(CapturedOutput output) {
		DataRedisConnectionDetails user = new DataRedisConnectionDetails() {

			@Override
			public Standalone getStandalone() {
				return Standalone.of("user-redis", 6379);
			}

		};
		this.contextRunner.withPropertyValues("REDIS_URL=redis://cache.internal:6379")
			.withBean(DataRedisConnectionDetails.class, () -> user)
			.run((context) -> assertThat(context.getBean(DataRedisConnectionDetails.class)).isSameAs(user));
		assertThat(output).contains("REDIS_URL is set, but the ").contains("bean takes precedence: cache does not use");
	}

	@Test
	void whenUserDefinesCacheManagerThenItWins() {
		this.contextRunner.withPropertyValues("REDIS_URL=redis://cache.internal:6379")
			.withBean(CacheManager.class, NoOpCacheManager::new)
			.run((context) -> assertThat(context.getBean(CacheManager.class)).isInstanceOf(NoOpCacheManager.class));
	}

	@Test
	void whenUserChoosesCacheTypeThenBootDecides() {
		this.contextRunner.withPropertyValues("spring.cache.type=none")
			.run((context) -> assertThat(context.getBean(CacheManager.class)).isInstanceOf(NoOpCacheManager.class));
	}

	@Test
	void whenCacheIsAttachedButUserChoosesAnotherCacheTypeThenBootDecides() {
		this.contextRunner.withPropertyValues("REDIS_URL=redis://cache.internal:6379", "spring.cache.type=simple")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ResilientCacheManager.class);
				assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
			});
	}

	@Test
	void whenCacheIsDisabledThenItIsInMemory() {
		this.contextRunner
			.withPropertyValues("REDIS_URL=redis://cache.internal:6379", "attach.resources.cache.enabled=false")
			.run((context) -> assertThat(context.getBean(CacheManager.class))
				.isInstanceOf(ConcurrentMapCacheManager.class));
	}

	@Test
	void whenCacheIsAttachedThenValuesAreStoredAsJson() {
		this.contextRunner.withPropertyValues("REDIS_URL=redis://cache.internal:6379").run((context) -> {
			SerializationPair<Object> values = redisCache(context).getCacheConfiguration().getValueSerializationPair();
			assertThat(StandardCharsets.UTF_8.decode(values.write(List.of(1L, "two"))).toString())
				.isEqualTo("[\"java.util.ImmutableCollections$List12\",[[\"java.lang.Long\",1],\"two\"]]");
		});
	}

	@Test
	void whenUserDefinesRedisCacheConfigurationThenItChoosesTheSerializer() {
		RedisCacheConfiguration user = RedisCacheConfiguration.defaultCacheConfig()
			.serializeValuesWith(SerializationPair.fromSerializer(RedisSerializer.string()));
		this.contextRunner.withPropertyValues("REDIS_URL=redis://cache.internal:6379")
			.withBean(RedisCacheConfiguration.class, () -> user)
			.run((context) -> assertThat(redisCache(context).getCacheConfiguration().getValueSerializationPair())
				.isSameAs(user.getValueSerializationPair()));
	}

	@Test
	void whenUserCustomizesTheBuilderThenTheCustomizerChoosesTheSerializer() {
		RedisCacheConfiguration user = RedisCacheConfiguration.defaultCacheConfig()
			.serializeValuesWith(SerializationPair.fromSerializer(RedisSerializer.string()));
		RedisCacheManagerBuilderCustomizer customizer = (builder) -> builder.cacheDefaults(user);
		this.contextRunner.withPropertyValues("REDIS_URL=redis://cache.internal:6379")
			.withBean(RedisCacheManagerBuilderCustomizer.class, () -> customizer)
			.run((context) -> assertThat(redisCache(context).getCacheConfiguration().getValueSerializationPair())
				.isSameAs(user.getValueSerializationPair()));
	}

	@Test
	void whenJacksonIsMissingThenStartupFailsSayingWhatToAdd() {
		this.contextRunner.withPropertyValues("REDIS_URL=redis://cache.internal:6379")
			.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tools.jackson.core:jackson-databind")
				.hasMessageContaining("RedisCacheConfiguration bean"));
	}

	@Test
	void whenJacksonIsMissingButUserChoosesASerializerThenTheCacheIsAttached() {
		this.contextRunner.withPropertyValues("REDIS_URL=redis://cache.internal:6379")
			.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.withBean(RedisCacheConfiguration.class, RedisCacheConfiguration::defaultCacheConfig)
			.run((context) -> assertThat(context).hasSingleBean(ResilientCacheManager.class));
	}

	private static RedisCache redisCache(AssertableApplicationContext context) {
		return (RedisCache) context.getBean(ResilientCacheManager.class).getCacheManager().getCache("users");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

	static final class RedisUrlConnectionDetailsAccess {

		static final String TYPE = "io.attach.redis.RedisUrlConnectionDetails";

	}

}
