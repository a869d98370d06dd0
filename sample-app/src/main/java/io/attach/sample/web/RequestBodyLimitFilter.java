package io.attach.sample.web;

import java.io.ByteArrayInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.attach.sample.SampleProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 413 to a request whose body is larger than {@code sample.max-request-body}: by its Content-Length before
 * anything reads it, or, of unknown length, once that many bytes have arrived, so that no body is ever held whole.
 *
 * @author attach
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyLimitFilter extends OncePerRequestFilter {

	private static final Pattern AVATAR = Pattern.compile("/api/users/[^/]+/avatar");

	private final int maxBytes;

	RequestBodyLimitFilter(SampleProperties properties) {
		this.maxBytes = Math.toIntExact(properties.maxRequestBody().toBytes());
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		// Avatars are images, larger than any JSON body: their controller streams them under a limit of their own.
		return AVATAR.matcher(request.getRequestURI().substring(request.getContextPath().length())).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long length = request.getContentLengthLong();
		if (length > this.maxBytes) {
			tooLarge(response);
			return;
		}
		if (length < 0) {
			// The servlet container reads at most Content-Length bytes; a body of unknown length (chunked, or HTTP/2
			// without a Content-Length) has no such bound, whatever the headers say.
			byte[] body = request.getInputStream().readNBytes(this.maxBytes + 1);
			if (body.length > this.maxBytes) {
				tooLarge(response);
				return;
			}
			chain.doFilter(new BufferedBodyRequest(request, body), response);
			return;
		}
		chain.doFilter(request, response);
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		// The rest of the body is never read: the connection cannot carry another request after it.
		response.setHeader(HttpHeaders.CONNECTION, "close");
		byte[] problem = ("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
				+ "\"detail\":\"The request body is larger than " + this.maxBytes + " bytes.\"}")
			.getBytes(StandardCharsets.UTF_8);
		// A length, not chunks: the response is whole before the container is done with the request.
		response.setContentLength(problem.length);
		response.getOutputStream().write(problem);
		// Sent now: the container would otherwise try to read and discard the rest of the body first.
		response.flushBuffer();
	}

	/**
	 * A request whose body has already been read, whole and small enough.
	 */
	private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() throws IOException {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body has already been read");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

}
