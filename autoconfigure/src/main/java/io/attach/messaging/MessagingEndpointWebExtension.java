package io.attach.messaging;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link MessagingEndpoint}: a message that is not parked
 * is not found, where a write operation without a result would answer 204.
 *
 * @author attach
 */
@EndpointWebExtension(endpoint = MessagingEndpoint.class)
public class MessagingEndpointWebExtension {

	private final MessagingEndpoint endpoint;

	MessagingEndpointWebExtension(MessagingEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> parked(@Selector String group, @Selector String id,
			String action, @Nullable String topic) {
		Map<String, Object> done = this.endpoint.parked(group, id, action, topic);
		return (done != null) ? new WebEndpointResponse<>(done)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
