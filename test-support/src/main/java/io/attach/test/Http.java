package io.attach.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small HTTP client for tests, with a hard per-request timeout so that a hung endpoint fails the test.
 *
 * @author attach
 */
public final class Http {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String baseUrl;

	private final Duration timeout;

	/**
	 * Creates a client for a local server.
	 * @param port the server's port
	 * @param timeout the longest a request may take before the test fails
	 */
	public Http(int port, Duration timeout) {
		this.baseUrl = "http://127.0.0.1:" + port;
		this.timeout = timeout;
	}

	/**
	 * Sends a GET request.
	 * @param path the path
	 * @return the response
	 */
	public HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path)).GET());
	}

	/**
	 * Sends a POST request with a JSON body.
	 * @param path the path
	 * @param json the body
	 * @return the response
	 */
	public HttpResponse<String> postJson(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	/**
	 * Sends a PUT request with a JSON body.
	 * @param path the path
	 * @param json the body
	 * @return the response
	 */
	public HttpResponse<String> putJson(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json)));
	}

	/**
	 * Sends a DELETE request.
	 * @param path the path
	 * @return the response
	 */
	public HttpResponse<String> delete(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.baseUrl + path)).DELETE());
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.timeout(this.timeout).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
