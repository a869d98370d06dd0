package io.attach.amqp;

import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslManagerBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * Adapts {@link AmqpUrl} to {@link RabbitConnectionDetails}.
 * <p>
 * An {@code amqps} URL always yields an SSL bundle: Boot turns TLS on only for a bundle, and without one the
 * RabbitMQ client's {@code useSslProtocol()} would trust every certificate. The bundle trusts the JVM's trust store
 * or the URL's {@code cacertfile}, and Boot adds host name verification.
 *
 * @author attach
 */
final class AmqpUrlConnectionDetails implements RabbitConnectionDetails {

	private final AmqpUrl url;

	private final List<Address> addresses;

	private final @Nullable SslBundle sslBundle;

	AmqpUrlConnectionDetails(AmqpUrl url) {
		this.url = url;
		this.addresses = url.nodes().stream().map((node) -> new Address(node.host(), node.portOr(0))).toList();
		AmqpUrl.Tls tls = url.tls();
		this.sslBundle = (tls != null) ? sslBundle(url, tls) : null;
	}

	AmqpUrl getUrl() {
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
	public String getVirtualHost() {
		return this.url.virtualHost();
	}

	@Override
	public List<Address> getAddresses() {
		return this.addresses;
	}

	@Override
	public @Nullable SslBundle getSslBundle() {
		return this.sslBundle;
	}

	private static SslBundle sslBundle(AmqpUrl url, AmqpUrl.Tls tls) {
		SslStoreBundle stores;
		try {
			PemSslStoreDetails key = (tls.certificate() != null)
					? new PemSslStoreDetails(null, tls.certificate(), tls.privateKey(), tls.privateKeyPassword())
					: null;
			PemSslStoreDetails trust = (tls.caCertificates() != null)
					? PemSslStoreDetails.forCertificates(tls.caCertificates()) : null;
			stores = (key != null || trust != null) ? new PemSslStoreBundle(key, trust) : SslStoreBundle.NONE;
			// Read now, so that a file that is not PEM fails startup naming the setting, not the first connection.
			stores.getKeyStore();
			stores.getTrustStore();
		}
		catch (RuntimeException ex) {
			throw url.invalid("has a cacertfile, certfile or keyfile that cannot be read as PEM ("
					+ ex.getClass().getSimpleName() + ")",
					"Give PEM files: the CA certificates, the client certificate and its unencrypted or "
							+ "password-protected private key.");
		}
		if (tls.verifyPeer()) {
			return SslBundle.of(stores);
		}
		SslManagerBundle managers = SslManagerBundle.from(stores, SslBundleKey.NONE);
		// The URL opted out of verification with verify=verify_none, and startup warned about it.
		SslManagerBundle trustingAll = SslManagerBundle.of(managers.getKeyManagerFactory(),
				SslManagerBundle.from(new TrustingEveryCertificate()).getTrustManagerFactory());
		return SslBundle.of(stores, SslBundleKey.NONE, SslOptions.NONE, SslBundle.DEFAULT_PROTOCOL, trustingAll);
	}

	@Override
	public String toString() {
		return "AmqpUrlConnectionDetails[" + this.url + "]";
	}

	/**
	 * Trusts every certificate, for {@code verify=verify_none}; extended, so that the JVM adds no host name check.
	 */
	private static final class TrustingEveryCertificate extends X509ExtendedTrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
