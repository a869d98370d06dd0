package io.attach.redis;

import java.time.Duration;

import io.attach.core.Timeouts;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration.LettuceClientConfigurationBuilder;

/**
 * Gives Lettuce finite timeouts for the attached Redis (Lettuce waits 60 s for a command by default), makes it
 * reject commands while disconnected instead of queueing them, and applies the URL's TLS verification choice.
 * <p>
 * A timeout in the URL wins; otherwise a {@code spring.data.redis.*} timeout the user set; otherwise
 * {@code attach.redis.*}.
 *
 * @author attach
 */
final class RedisUrlLettuceCustomizer
		implements LettuceClientConfigurationBuilderCustomizer, LettuceClientOptionsBuilderCustomizer {

	private final @Nullable RedisUrl url;

	private final Duration commandTimeout;

	private final Duration connectTimeout;

	RedisUrlLettuceCustomizer(@Nullable RedisUrl url, AttachRedisProperties properties, Environment environment) {
		this.url = url;
		Binder binder = Binder.get(environment);
		this.commandTimeout = choose((url != null) ? url.commandTimeout() : null,
				springTimeout(binder, "spring.data.redis.timeout", "attach.redis.command-timeout"),
				properties.getCommandTimeout());
		this.connectTimeout = choose((url != null) ? url.connectTimeout() : null,
				springTimeout(binder, "spring.data.redis.connect-timeout", "attach.redis.connect-timeout"),
				properties.getConnectTimeout());
	}

	@Override
	public void customize(LettuceClientConfigurationBuilder builder) {
		builder.commandTimeout(this.commandTimeout);
		if (this.url != null && this.url.ssl() && !this.url.verifyPeer()) {
			builder.useSsl().disablePeerVerification();
		}
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		builder.socketOptions(SocketOptions.builder().connectTimeout(this.connectTimeout).build());
		// While the connection is down, fail at once so the caller degrades, rather than wait out the timeout.
		builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	/**
	 * Returns the Spring Data Redis timeout the user set, refusing one that Lettuce would read as no timeout.
	 */
	private static @Nullable Duration springTimeout(Binder binder, String name, String attachProperty) {
		Duration timeout = binder.bind(name, Duration.class).orElse(null);
		return (timeout != null) ? Timeouts.requirePositive(name, timeout, "Lettuce", attachProperty) : null;
	}

	// Lettuce counts in whole milliseconds (Netty's connect timeout, its command expiry): under one would be 0, no
	// timeout at all. So every timeout is set here, the user's Spring Data Redis one too, rounded up.
	private static Duration choose(@Nullable Duration fromUrl, @Nullable Duration fromSpring, Duration attachDefault) {
		Duration timeout = (fromUrl != null) ? fromUrl : (fromSpring != null) ? fromSpring : attachDefault;
		return Duration.ofMillis(Timeouts.millis(timeout));
	}

}
