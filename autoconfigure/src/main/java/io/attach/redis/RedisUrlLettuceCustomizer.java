package io.attach.redis;

import java.time.Duration;

import io.attach.core.InvalidSettingException;
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

	private final @Nullable Duration commandTimeout;

	private final @Nullable Duration connectTimeout;

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
		if (this.commandTimeout != null) {
			builder.commandTimeout(this.commandTimeout);
		}
		if (this.url != null && this.url.ssl() && !this.url.verifyPeer()) {
			builder.useSsl().disablePeerVerification();
		}
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		if (this.connectTimeout != null) {
			builder.socketOptions(SocketOptions.builder().connectTimeout(this.connectTimeout).build());
		}
		// While the connection is down, fail at once so the caller degrades, rather than wait out the timeout.
		builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	/**
	 * Tells whether the user set a Spring Data Redis timeout, refusing one that Lettuce would read as no timeout.
	 */
	private static boolean springTimeout(Binder binder, String name, String attachProperty) {
		Duration timeout = binder.bind(name, Duration.class).orElse(null);
		if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
			throw new InvalidSettingException(name,
					"is " + timeout.toMillis() + "ms, which Lettuce reads as waiting forever",
					"Set a positive duration such as 500ms, or remove it to use " + attachProperty
							+ ": attach never waits forever.");
		}
		return timeout != null;
	}

	private static @Nullable Duration choose(@Nullable Duration fromUrl, boolean userSetSpringProperty,
			Duration attachDefault) {
		if (fromUrl != null) {
			return fromUrl;
		}
		return userSetSpringProperty ? null : attachDefault;
	}

}
