package io.attach.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The self-signed test certificate for {@code localhost} and {@code 127.0.0.1} that test mail servers present, with
 * a trust store that trusts nothing else.
 * <p>
 * Both stores were generated once, in this module's {@code src/main/resources/io/attach/test}, with:
 *
 * <pre>
 * keytool -genkeypair -alias mail -keyalg RSA -keysize 2048 -sigalg SHA256withRSA -dname "CN=localhost" \
 *     -ext "SAN=dns:localhost,ip:127.0.0.1" -validity 36500 -storetype PKCS12 -keystore mail-server.p12 \
 *     -storepass changeit -keypass changeit
 * keytool -exportcert -alias mail -keystore mail-server.p12 -storepass changeit -rfc -file mail.crt
 * keytool -importcert -noprompt -alias mail -file mail.crt -storetype PKCS12 -keystore mail-trust.p12 \
 *     -storepass changeit
 * rm mail.crt
 * keytool -genkeypair -alias other -keyalg RSA -keysize 2048 -sigalg SHA256withRSA -dname "CN=elsewhere.invalid" \
 *     -ext "SAN=dns:elsewhere.invalid" -validity 36500 -storetype PKCS12 -keystore other-name-server.p12 \
 *     -storepass changeit -keypass changeit
 * </pre>
 * The second key store holds a certificate for a name no test connects to, to prove that host names are verified.
 *
 * @author attach
 */
public final class TestTls {

	/** The password of both stores and of the key. */
	public static final String PASSWORD = "changeit";

	private static final String SERVER_KEY_STORE = "mail-server.p12";

	private static final String TRUST_STORE = "mail-trust.p12";

	private static final String OTHER_NAME_KEY_STORE = "other-name-server.p12";

	private TestTls() {
	}

	/**
	 * Returns a file holding the server key store (alias {@code mail}, PKCS12), for servers that want a path.
	 * @return the key store file
	 */
	public static Path serverKeyStoreFile() {
		return file(SERVER_KEY_STORE);
	}

	/**
	 * Returns a file holding the trust store (alias {@code mail}, PKCS12) that trusts only the test certificate.
	 * @return the trust store file
	 */
	public static Path trustStoreFile() {
		return file(TRUST_STORE);
	}

	/**
	 * Returns a new SSL context that presents the test certificate, for servers.
	 * @return the server SSL context
	 */
	public static SSLContext serverSslContext() {
		return serverSslContext(SERVER_KEY_STORE);
	}

	/**
	 * Returns a new SSL context that presents a self-signed certificate for {@code elsewhere.invalid} only, a name no
	 * test connects to: a client that trusts it must still refuse it for a host name it does not cover.
	 * @return the server SSL context
	 */
	public static SSLContext otherNameServerSslContext() {
		return serverSslContext(OTHER_NAME_KEY_STORE);
	}

	/**
	 * Returns the certificate {@link #otherNameServerSslContext()} presents, as PEM, for a client to trust.
	 * @return the PEM text
	 */
	public static String otherNameCertificatePem() {
		try {
			KeyStore store = load(OTHER_NAME_KEY_STORE);
			Certificate certificate = store.getCertificate(store.aliases().nextElement());
			return "-----BEGIN CERTIFICATE-----\n"
					+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
						.encodeToString(certificate.getEncoded())
					+ "\n-----END CERTIFICATE-----\n";
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static SSLContext serverSslContext(String keyStore) {
		try {
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(load(keyStore), PASSWORD.toCharArray());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), null, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Returns a new SSL context that trusts the test certificate and nothing else, for clients.
	 * @return the client SSL context
	 */
	public static SSLContext clientSslContext() {
		try {
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(load(TRUST_STORE));
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyStore load(String name) throws GeneralSecurityException {
		try (InputStream in = open(name)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, PASSWORD.toCharArray());
			return store;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path file(String name) {
		URL url = resource(name);
		try {
			if ("file".equals(url.getProtocol())) {
				return Path.of(url.toURI());
			}
			// Inside this jar on a user's classpath: servers need a real file.
			Path copy = Files.createTempFile("attach-", "-" + name);
			copy.toFile().deleteOnExit();
			try (InputStream in = url.openStream()) {
				Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
			}
			return copy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static InputStream open(String name) throws IOException {
		return resource(name).openStream();
	}

	private static URL resource(String name) {
		URL url = TestTls.class.getResource(name);
		if (url == null) {
			throw new IllegalStateException("Test TLS resource " + name + " not found next to " + TestTls.class);
		}
		return url;
	}

}
