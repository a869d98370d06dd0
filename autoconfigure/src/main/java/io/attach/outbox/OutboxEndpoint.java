package io.attach.outbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows each outbox's counts and requeues its parked items once an operator fixed
 * the cause, such as wrong credentials: {@code POST /actuator/outbox/mail}.
 *
 * @author attach
 */
@Endpoint(id = "outbox")
public class OutboxEndpoint {

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

	@WriteOperation
	public @Nullable Map<String, Object> requeueParked(@Selector String resource) {
		for (Outbox outbox : this.outboxes) {
			if (outbox.getChannel().equals(resource)) {
				return Map.of("resource", resource, "requeued", outbox.requeueParked());
			}
		}
		// No body: the endpoint answers 404.
		return null;
	}

}
