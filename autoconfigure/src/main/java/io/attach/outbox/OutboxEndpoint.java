package io.attach.outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows each outbox's counts and requeues its parked items once an operator fixed
 * the cause, such as wrong credentials: {@code POST /actuator/outbox/mail} with {@code {"requeue": "parked"}}.
 *
 * @author attach
 */
@Endpoint(id = "outbox")
public class OutboxEndpoint {

	static final String PARKED = "parked";

	private final List<Outbox> outboxes;

	/**
	 * Creates the endpoint.
	 * @param outboxes the application's outboxes
	 */
	public OutboxEndpoint(List<Outbox> outboxes) {
		this.outboxes = List.copyOf(outboxes);
	}

	@ReadOperation
	public Map<String, OutboxStats> outboxes() {
		Map<String, OutboxStats> stats = new LinkedHashMap<>();
		this.outboxes.forEach((outbox) -> stats.put(outbox.getChannel(), outbox.getStats()));
		return stats;
	}

	/**
	 * Requeues a resource's parked items, as a write operation: the body it requires makes the web endpoint accept
	 * only JSON, which a cross-site form or {@code text/plain} request cannot send without the browser asking first.
	 * @param resource the resource whose outbox it is
	 * @param requeue which items to requeue: {@code parked}
	 * @return the number of items requeued, or {@code null} when no outbox serves the resource
	 */
	@WriteOperation
	public @Nullable Map<String, Object> requeue(@Selector String resource, String requeue) {
		if (!PARKED.equals(requeue)) {
			throw new InvalidEndpointRequestException("Only parked items can be requeued, not '" + requeue + "'",
					"'requeue' must be 'parked'");
		}
		return requeueParked(resource);
	}

	/**
	 * Requeues a resource's parked items.
	 * @param resource the resource whose outbox it is
	 * @return the number of items requeued, or {@code null} when no outbox serves the resource
	 */
	public @Nullable Map<String, Object> requeueParked(String resource) {
		for (Outbox outbox : this.outboxes) {
			if (outbox.getChannel().equals(resource)) {
				return Map.of("resource", resource, "requeued", outbox.requeueParked());
			}
		}
		return null;
	}

}
