package io.attach.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.attach.core.AttachAutoConfiguration;
import io.attach.redis.RedisAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceCircuitBreakers;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link ResilientCache} on the machine's Redis, behind a fault proxy.
 *
 * @author attach
 */
class ResilientCacheIntegrationTests {

	private final String prefix = "attach-it-" + System.nanoTime() + ":";

	private FaultProxy proxy;

	// Straight to the real Redis, not through the proxy.
	private LettuceConnectionFactory direct;

	private StringRedisTemplate redis;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void start() {
		this.proxy = LocalServers.REDIS.proxy();
		this.direct = new LettuceConnectionFactory(LocalServers.REDIS.host(), LocalServers.REDIS.port());
		this.direct.afterPropertiesSet();
		this.direct.start();
		this.redis = new StringRedisTemplate(this.direct);
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class,
					ResilienceAttachAutoConfiguration.class, RedisAttachAutoConfiguration.class,
					DataRedisAutoConfiguration.class, CacheAttachAutoConfiguration.class))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("REDIS_URL=redis://127.0.0.1:" + this.proxy.getPort() + "/0",
					"attach.cache.key-prefix=" + this.prefix);
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.redis.delete(this.redis.keys(this.prefix + "*"));
		this.direct.destroy();
	}

	@Test
	void whenValueIsRetrievedAsynchronouslyThenItComesFromRedis() {
		run((cache, context) -> {
			cache.put("k", "v");
			Object retrieved = cache.retrieve("k").join();
			assertThat((retrieved instanceof Cache.ValueWrapper wrapper) ? wrapper.get() : retrieved).isEqualTo("v");
			AtomicInteger loads = new AtomicInteger();
			assertThat(cache.retrieve("k", () -> {
				loads.incrementAndGet();
				return CompletableFuture.completedFuture("loaded");
			}).join()).isEqualTo("v");
			assertThat(loads).hasValue(0);
		});
	}

	@Test
	void whenAsynchronousReadsFailThenTheyAreMissesAndOpenTheBreaker() {
		run((cache, context) -> {
			this.proxy.refuse();
			for (int i = 0; i < 5; i++) {
				assertThat(cache.retrieve("k").join()).isNull();
			}
			assertThat(context.getBean(ResourceCircuitBreakers.class).getState("cache")).hasValue(State.OPEN);
			assertThat(cache.retrieve("k", () -> CompletableFuture.completedFuture("loaded")).join())
				.isEqualTo("loaded");
		});
	}

	@Test
	void whenManyThreadsLoadTheSameKeyThenTheLoaderRunsOnce() {
		run((cache, context) -> {
			AtomicInteger loads = new AtomicInteger();
			ExecutorService threads = Executors.newFixedThreadPool(8);
			try {
				java.util.List<Future<String>> results = new java.util.ArrayList<>();
				for (int i = 0; i < 8; i++) {
					results.add(threads.submit(() -> cache.get("k", () -> {
						loads.incrementAndGet();
						Thread.sleep(100);
						return "loaded";
					})));
				}
				for (Future<String> result : results) {
					assertThat(result.get()).isEqualTo("loaded");
				}
			}
			finally {
				threads.shutdown();
			}
			assertThat(loads).hasValue(1);
		});
	}

	@Test
	void whenAWriteFailsThenTheOldValueIsNeverServedAfterRecovery() {
		run((cache, context) -> {
			cache.put("k", "old");
			this.proxy.refuse();
			cache.put("k", "new");
			this.proxy.pass();
			// Every read retries the pending eviction, and none serves the old value meanwhile.
			await().until(() -> {
				assertThat(cache.get("k")).isNull();
				return !this.redis.hasKey(this.prefix + "users::k");
			});
			cache.put("k", "new");
			assertThat(cache.get("k").get()).isEqualTo("new");
		});
	}

	@Test
	void whenAValueCannotBeReadThenItIsEvictedWithoutOpeningTheBreaker() {
		run((cache, context) -> {
			for (int i = 0; i < 10; i++) {
				this.redis.opsForValue().set(this.prefix + "users::k", "not a serialized java object");
				assertThat(cache.get("k")).isNull();
			}
			assertThat(this.redis.hasKey(this.prefix + "users::k")).isFalse();
			assertThat(context.getBean(ResourceCircuitBreakers.class).getState("cache")).hasValue(State.CLOSED);
		});
	}

	@Test
	void whenAnUnreadableValueIsRetrievedAsynchronouslyThenItIsEvictedWithoutOpeningTheBreaker() {
		run((cache, context) -> {
			for (int i = 0; i < 10; i++) {
				this.redis.opsForValue().set(this.prefix + "users::k", "not a serialized java object");
				assertThat(cache.retrieve("k").join()).isNull();
			}
			await().until(() -> !this.redis.hasKey(this.prefix + "users::k"));
			assertThat(context.getBean(ResourceCircuitBreakers.class).getState("cache")).hasValue(State.CLOSED);
		});
	}

	@Test
	void whenAnAsynchronousReadMissesThenTheLoadedValueIsWritten() {
		run((cache, context) -> {
			assertThat(cache.retrieve("k", () -> CompletableFuture.completedFuture("loaded")).join())
				.isEqualTo("loaded");
			Object retrieved = cache.retrieve("k").join();
			assertThat((retrieved instanceof Cache.ValueWrapper wrapper) ? wrapper.get() : retrieved)
				.isEqualTo("loaded");
		});
	}

	@Test
	void whenLoadsOfDifferentKeysNestThenNoneWaitsForAnother() {
		run((cache, context) -> {
			ExecutorService threads = Executors.newFixedThreadPool(2);
			try {
				Future<String> first = threads.submit(() -> cache.get("a", () -> cache.get("b", () -> "b") + "a"));
				Future<String> second = threads.submit(() -> cache.get("c", () -> cache.get("b", () -> "b") + "c"));
				assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ba");
				assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("bc");
			}
			finally {
				threads.shutdownNow();
			}
		});
	}

	private void run(CacheTest test) {
		this.contextRunner.run((context) -> test.run(context.getBean(CacheManager.class).getCache("users"), context));
	}

	@FunctionalInterface
	interface CacheTest {

		void run(Cache cache, AssertableApplicationContext context) throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}
