package io.attach.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.HttpRequestHandler;

/**
 * Serves the presigned URLs of a {@link LocalFileStorage} ({@link LocalUrlSigner}): {@code GET} streams the file with
 * its content type and length, {@code PUT} stores the request's body atomically, with the content type the URL binds
 * it to. An expired, tampered or wrongly used URL gets {@code 403}, a missing file {@code 404}.
 * <p>
 * Files are served from the application's own origin, so the response forbids the browser to sniff another type or
 * to run what it serves ({@code Content-Security-Policy: sandbox}): an uploaded HTML page cannot script the
 * application.
 *
 * @author attach
 */
final class LocalStorageUrlHandler implements HttpRequestHandler {

	private static final Log logger = LogFactory.getLog(LocalStorageUrlHandler.class);

	private final LocalFileStorage storage;

	LocalStorageUrlHandler(LocalFileStorage storage) {
		this.storage = storage;
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String method = request.getMethod();
		if (!method.equals("GET") && !method.equals("PUT")) {
			response.setHeader("Allow", "GET, PUT");
			response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
			return;
		}
		String key = key(request);
		// A key outside the grammar cannot have been signed: refused like a tampered URL, before any disk access.
		String contentType = (key != null && StorageKeys.isValid(key))
				? this.storage.signer().verify(method, key, request.getQueryString()) : null;
		if (key == null || contentType == null) {
			response.sendError(HttpServletResponse.SC_FORBIDDEN);
			return;
		}
		try {
			if (method.equals("GET")) {
				get(key, response);
			}
			else {
				put(key, contentType, request, response);
			}
		}
		catch (StorageFileNotFoundException ex) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
		}
		catch (StorageFileExistsException | IllegalArgumentException ex) {
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
		}
	}

	private void get(String key, HttpServletResponse response) throws IOException {
		try (LocalFileStorage.Download download = this.storage.download(key, 0, Long.MAX_VALUE)) {
			response.setContentType(download.file().contentType());
			response.setContentLengthLong(download.file().size());
			response.setHeader("X-Content-Type-Options", "nosniff");
			response.setHeader("Content-Security-Policy", "sandbox");
			if (download.file().sha256() != null) {
				response.setHeader("ETag", "\"" + download.file().sha256() + "\"");
			}
			try (OutputStream body = response.getOutputStream()) {
				download.content().transferTo(body);
			}
		}
	}

	private void put(String key, String boundContentType, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		String declared = request.getContentType();
		if (!boundContentType.isEmpty() && !boundContentType.equals(declared)) {
			// As S3 answers an upload whose Content-Type differs from the signed one.
			response.sendError(HttpServletResponse.SC_FORBIDDEN);
			return;
		}
		PutOptions options = (declared != null) ? PutOptions.defaults().withContentType(declared)
				: PutOptions.defaults();
		StoredFile stored;
		try (InputStream body = request.getInputStream()) {
			stored = this.storage.put(key, body, options);
		}
		catch (LocalSourceException ex) {
			// The client stopped sending: nothing was stored, and the store is fine.
			logger.debug("A presigned upload ended early: " + ex.getMessage());
			response.sendError(HttpServletResponse.SC_BAD_REQUEST);
			return;
		}
		response.setHeader("ETag", "\"" + stored.sha256() + "\"");
		response.setStatus(HttpServletResponse.SC_OK);
	}

	private @Nullable String key(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String prefix = request.getContextPath() + this.storage.signer().path() + "/";
		if (!uri.startsWith(prefix)) {
			return null;
		}
		return LocalUrlSigner.decodePath(uri.substring(prefix.length()));
	}

}
