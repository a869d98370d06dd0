package io.attach.storage;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The base of presigned URLs made while serving a request: that request's scheme, host, port and context path. Loaded
 * only where the servlet API and Spring MVC are.
 *
 * @author attach
 */
final class LocalRequestUrlBase {

	private LocalRequestUrlBase() {
	}

	/**
	 * Returns the current request's scheme, host, port and context path.
	 * @return them, or {@code null} outside a request
	 */
	static @Nullable String current() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes instanceof ServletRequestAttributes servlet) {
			HttpServletRequest request = servlet.getRequest();
			return ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString();
		}
		return null;
	}

	static boolean isWebApplicationContext(ApplicationContext context) {
		return context instanceof WebApplicationContext;
	}

}
