package io.attach.benchmarks;

import java.util.concurrent.TimeUnit;

import io.attach.cache.ResilientCacheManager;
import io.attach.test.LocalServers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A cache hit through attach's resilient cache against the same hit on the bare {@link
 * org.springframework.data.redis.cache.RedisCacheManager} it decorates, both on the machine's Redis.
 *
 * @author attach
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CacheHitBenchmark {

	private static final String KEY = "user-42";

	private ConfigurableApplicationContext context;

	private Cache resilient;

	private Cache bare;

	@Setup(Level.Trial)
	public void start() {
		this.context = new SpringApplicationBuilder(CachingApplication.class).web(WebApplicationType.NONE)
			.run("--REDIS_URL=redis://127.0.0.1:" + LocalServers.REDIS.require().port() + "/0",
					"--attach.cache.key-prefix=attach-bench:", "--logging.level.root=WARN",
					"--spring.main.banner-mode=off");
		ResilientCacheManager cacheManager = (ResilientCacheManager) this.context.getBean(CacheManager.class);
		this.resilient = cacheManager.getCache("users");
		this.bare = cacheManager.getCacheManager().getCache("users");
		this.bare.put(KEY, "Ada Lovelace");
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.bare.evict(KEY);
		this.context.close();
	}

	@Benchmark
	public Object bareRedisCacheHit() {
		return this.bare.get(KEY).get();
	}

	@Benchmark
	public Object attachResilientCacheHit() {
		return this.resilient.get(KEY).get();
	}

	/**
	 * An application with caching and attach's auto-configuration, nothing else.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableCaching
	static class CachingApplication {

	}

}
