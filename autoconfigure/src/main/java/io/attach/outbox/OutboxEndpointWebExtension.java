package io.attach.outbox;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link OutboxEndpoint}: a resource without an outbox, or
 * an item that is not parked, is not found, where a write operation without a result would answer 204.
 *
 * @author attach
 */
@EndpointWebExtension(endpoint = OutboxEndpoint.class)
public class OutboxEndpointWebExtension {

	private final OutboxEndpoint endpoint;

	/**
	 * Creates the extension.
	 * @param endpoint the endpoint it extends
	 */
	public OutboxEndpointWebExtension(OutboxEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> requeue(@Selector String resource, @Nullable String requeue,
			@Nullable String discard) {
		Map<String, Object> requeued = this.endpoint.requeue(resource, requeue, discard);
		return (requeued != null) ? new WebEndpointResponse<>(requeued)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
