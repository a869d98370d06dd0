package io.attach.redis;

import java.util.List;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;

/**
 * Adapts {@link RedisUrl} to {@link DataRedisConnectionDetails}.
 *
 * @author attach
 */
final class RedisUrlConnectionDetails implements DataRedisConnectionDetails {

	private final RedisUrl url;

	private final @Nullable SslBundle sslBundle;

	RedisUrlConnectionDetails(RedisUrl url) {
		this.url = url;
		this.sslBundle = !url.ssl() ? null
				: url.verifyPeer() ? SslBundle.of(null)
						// Providers such as Heroku Redis present self-signed certificates; the URL opted out.
						: SslBundle.of(null, null, null, null,
								SslManagerBundle.from(InsecureTrustManagerFactory.INSTANCE));
	}

	RedisUrl getUrl() {
		return this.url;
	}

	@Override
	public @Nullable String getUsername() {
		return this.url.username();
	}

	@Override
	public @Nullable String getPassword() {
		return this.url.password();
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		return this.sslBundle;
	}

	@Override
	public @Nullable Standalone getStandalone() {
		if (this.url.sentinelMaster() != null) {
			return null;
		}
		return Standalone.of(this.url.nodes().get(0).host(), this.url.port(this.url.nodes().get(0)),
				this.url.database());
	}

	@Override
	public @Nullable Sentinel getSentinel() {
		String master = this.url.sentinelMaster();
		if (master == null) {
			return null;
		}
		List<Node> nodes = this.url.nodes().stream().map((node) -> new Node(node.host(), this.url.port(node))).toList();
		return new Sentinel() {

			@Override
			public int getDatabase() {
				return RedisUrlConnectionDetails.this.url.database();
			}

			@Override
			public String getMaster() {
				return master;
			}

			@Override
			public List<Node> getNodes() {
				return nodes;
			}

			@Override
			public @Nullable String getUsername() {
				return RedisUrlConnectionDetails.this.url.username();
			}

			@Override
			public @Nullable String getPassword() {
				return RedisUrlConnectionDetails.this.url.password();
			}

		};
	}

}
