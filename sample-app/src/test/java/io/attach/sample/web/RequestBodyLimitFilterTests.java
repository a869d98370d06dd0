package io.attach.sample.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.attach.sample.SampleProperties;
import jakarta.servlet.ServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestBodyLimitFilter} on requests a socket test cannot send over HTTP/1.1.
 *
 * @author attach
 */
class RequestBodyLimitFilterTests {

	private final RequestBodyLimitFilter filter = new RequestBodyLimitFilter(
			new SampleProperties(DataSize.ofBytes(100), new SampleProperties.Signups(20, Duration.ofMinutes(1)),
					new SampleProperties.Avatars(DataSize.ofKilobytes(1), List.of("image/png"), Duration.ofMinutes(1))));

	@Test
	void bodyOfUnknownLengthWithoutTransferEncodingLargerThanTheLimitIs413() throws Exception {
		// HTTP/2 carries a body without Content-Length or Transfer-Encoding.
		MockHttpServletRequest request = unknownLength("x".repeat(101));
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicReference<ServletRequest> passedOn = new AtomicReference<>();
		this.filter.doFilter(request, response, (req, res) -> passedOn.set(req));
		assertThat(response.getStatus()).isEqualTo(413);
		assertThat(passedOn).hasNullValue();
	}

	@Test
	void bodyOfUnknownLengthWithinTheLimitIsPassedOnWhole() throws Exception {
		MockHttpServletRequest request = unknownLength("x".repeat(100));
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicReference<String> body = new AtomicReference<>();
		this.filter.doFilter(request, response,
				(req, res) -> body.set(new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8)));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(body).hasValue("x".repeat(100));
	}

	@Test
	void avatarUploadIsLeftToItsControllersOwnLimit() throws Exception {
		MockHttpServletRequest request = unknownLength("x".repeat(101));
		request.setRequestURI("/app/api/users/42/avatar");
		request.setContextPath("/app");
		MockHttpServletResponse response = new MockHttpServletResponse();
		AtomicReference<ServletRequest> passedOn = new AtomicReference<>();
		this.filter.doFilter(request, response, (req, res) -> passedOn.set(req));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(passedOn).hasValue(request);
	}

	private static MockHttpServletRequest unknownLength(String body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/users") {

			@Override
			public int getContentLength() {
				return -1;
			}

			@Override
			public long getContentLengthLong() {
				return -1;
			}

		};
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		return request;
	}

}
