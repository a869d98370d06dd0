package io.attach.storage;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * Configuration properties of the local storage backend, under {@code attach.storage.local}.
 *
 * @author attach
 */
public class LocalStorageProperties {

	/**
	 * Secret key that signs presigned URLs, at least 32 bytes: set the same one on every instance that serves them.
	 * Without it, a random key per process signs them, and a URL works only on the instance that made it, until it
	 * restarts.
	 */
	private @Nullable String signingKey;

	/**
	 * Path under which the application serves presigned URLs, in a servlet web application.
	 */
	private String urlPath = "/attach/storage";

	/**
	 * Scheme, host and context path to put before the URL path in presigned URLs, such as
	 * 'https://files.example.com'. Without it, the current request's when a URL is made while serving one (forwarded
	 * headers honoured as the server is configured to), else the URL is relative.
	 */
	private @Nullable URI baseUrl;

	public @Nullable String getSigningKey() {
		return this.signingKey;
	}

	public void setSigningKey(@Nullable String signingKey) {
		this.signingKey = signingKey;
	}

	public String getUrlPath() {
		return this.urlPath;
	}

	public void setUrlPath(String urlPath) {
		this.urlPath = urlPath;
	}

	public @Nullable URI getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable URI baseUrl) {
		this.baseUrl = baseUrl;
	}

	@Override
	public String toString() {
		// Never the signing key.
		return "LocalStorageProperties[signingKey=" + ((this.signingKey != null) ? "******" : "random") + ", urlPath="
				+ this.urlPath + ", baseUrl=" + this.baseUrl + "]";
	}

}
