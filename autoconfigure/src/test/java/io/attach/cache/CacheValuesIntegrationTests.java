package io.attach.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.attach.cache.extra.Badge;
import io.attach.cache.values.Address;
import io.attach.cache.values.Profile;
import io.attach.core.AttachAutoConfiguration;
import io.attach.redis.RedisAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceCircuitBreakers;
import io.attach.test.LocalServers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for the values of the attached cache on the machine's Redis: stored as JSON, read back only as
 * allowed classes, and whatever else another writer of the Redis put under a cache key is a miss that instantiates
 * nothing.
 *
 * @author attach
 */
class CacheValuesIntegrationTests {

	private final String prefix = "attach-it-values-" + System.nanoTime() + ":";

	private LettuceConnectionFactory direct;

	private StringRedisTemplate redis;

	private ApplicationContextRunner contextRunner;

	@BeforeEach
	void start() {
		Gadgets.reset();
		this.direct = new LettuceConnectionFactory(LocalServers.REDIS.require().host(), LocalServers.REDIS.port());
		this.direct.afterPropertiesSet();
		this.direct.start();
		this.redis = new StringRedisTemplate(this.direct);
		this.contextRunner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class,
					ResilienceAttachAutoConfiguration.class, RedisAttachAutoConfiguration.class,
					DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
					CacheAttachAutoConfiguration.class))
			.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("REDIS_URL=redis://127.0.0.1:" + LocalServers.REDIS.port() + "/0",
					"attach.cache.key-prefix=" + this.prefix);
	}

	@AfterEach
	void stop() {
		this.redis.delete(this.redis.keys(this.prefix + "*"));
		this.direct.destroy();
	}

	@Test
	void whenTypicalValuesAreCachedThenTheyAreStoredAsJsonAndReadBackEqual() {
		Map<String, Integer> scores = new LinkedHashMap<>();
		scores.put("chess", 1200);
		Profile profile = new Profile(42L, "Ada", List.of("math", "poetry"), scores, new BigDecimal("12.50"),
				Instant.parse("2024-05-01T10:15:30Z"), new Address("London"));
		List<Object> values = List.of(profile, List.of(profile, profile), new ArrayList<>(List.of("a", "b")),
				Map.of("k", 1L), Set.of("x"), 7L, 3, "text", true, 1.5, new BigDecimal("1e-3"), LocalDate.of(2024, 2, 29),
				UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), new int[] { 1, 2 });
		this.contextRunner.run((context) -> {
			Cache cache = cache(context);
			for (int i = 0; i < values.size(); i++) {
				cache.put(i, values.get(i));
			}
			for (int i = 0; i < values.size(); i++) {
				assertThat(cache.get(i)).as("value %s", values.get(i)).isNotNull();
				assertThat(cache.get(i).get()).isEqualTo(values.get(i));
			}
			assertThat(this.redis.opsForValue().get(this.prefix + "users::0"))
				.startsWith("{\"@class\":\"io.attach.cache.values.Profile\",\"id\":42,\"name\":\"Ada\"");
		});
	}

	@Test
	void whenAJavaSerializedValueIsWrittenUnderACacheKeyThenItIsAMissAndNothingIsDeserialized() throws IOException {
		byte[] gadget = javaSerialized(new Gadgets.JavaGadget());
		this.contextRunner.run((context) -> {
			Cache cache = cache(context);
			write("users::k", gadget);
			assertThat(cache.get("k")).isNull();
			assertThat(cache.retrieve("k").join()).isNull();
			assertThat(Gadgets.javaGadgetRead).isFalse();
			assertThat(context.getBean(ResourceCircuitBreakers.class).getState("cache")).hasValue(State.CLOSED);
		});
	}

	@Test
	void whenAJsonValueNamesAClassOutsideTheAllowedPackagesThenItIsAMissAndTheClassIsNeverLoaded() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context);
			write("users::k", "{\"@class\":\"io.attach.cache.Gadgets$JsonGadget\",\"name\":\"x\"}");
			assertThat(cache.get("k")).isNull();
			assertThat(this.redis.hasKey(this.prefix + "users::k")).isFalse();
			write("users::list", "[\"java.util.ArrayList\",[{\"@class\":\"io.attach.cache.Gadgets$JsonGadget\"}]]");
			assertThat(cache.get("list")).isNull();
			write("users::generic", "[\"java.util.ArrayList<io.attach.cache.Gadgets$TypeArgumentGadget>\",[]]");
			assertThat(cache.get("generic")).isNull();
			write("users::jdk", "[\"java.lang.ProcessBuilder\",[\"true\"]]");
			assertThat(cache.get("jdk")).isNull();
			assertThat(Gadgets.jsonGadgetCreated).isFalse();
			assertThat(Gadgets.jsonGadgetInitialized).isFalse();
			assertThat(Gadgets.typeArgumentGadgetInitialized).isFalse();
		});
	}

	@Test
	void whenAValueIsOfAClassOutsideTheApplicationPackagesThenItIsAMissUnlessItsPackageIsAllowed() {
		this.contextRunner.run((context) -> {
			Cache cache = cache(context);
			cache.put("k", new Badge("gold"));
			assertThat(cache.get("k")).isNull();
		});
		this.contextRunner.withPropertyValues("attach.cache.allowed-packages=io.attach.cache.extra").run((context) -> {
			Cache cache = cache(context);
			cache.put("k", new Badge("gold"));
			assertThat(cache.get("k").get()).isEqualTo(new Badge("gold"));
		});
	}

	private void write(String key, String json) {
		write(key, json.getBytes(StandardCharsets.UTF_8));
	}

	private void write(String key, byte[] value) {
		try (RedisConnection connection = this.direct.getConnection()) {
			connection.stringCommands().set((this.prefix + key).getBytes(StandardCharsets.UTF_8), value);
		}
	}

	private static byte[] javaSerialized(Object value) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		return bytes.toByteArray();
	}

	private static Cache cache(org.springframework.context.ApplicationContext context) {
		return context.getBean(CacheManager.class).getCache("users");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	@AutoConfigurationPackage(basePackageClasses = Profile.class)
	static class CachingConfiguration {

	}

}
