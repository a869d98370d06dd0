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
 * {@link Endpoint @Endpoint} that shows each outbox's counts, lists one outbox's parked items
 * ({@code GET /actuator/outbox/mail}), and requeues or discards them once an operator fixed the cause, such as wrong
 * credentials: {@code POST /actuator/outbox/mail} with {@code {"requeue": "parked"}} for all of them,
 * {@code {"requeue": "<id>"}} or {@code {"discard": "<id>"}} for one.
 *
 * @author attach
 */
@Endpoint(id = "outbox")
public class OutboxEndpoint {

	static final String PARKED = "parked";

	// Enough for an operator to see what is wrong; the store may hold many more.
	static final int PARKED_LIMIT = 100;

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
	 * Lists a resource's parked items, the oldest first, never their payloads.
	 * @param resource the resource whose outbox it is
	 * @return the counts and the parked items, or {@code null} when no outbox serves the resource
	 */
	@ReadOperation
	public @Nullable Map<String, Object> outbox(@Selector String resource) {
		Outbox outbox = find(resource);
		if (outbox == null) {
			return null;
		}
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("resource", resource);
		described.put("stats", outbox.getStats());
		described.put(PARKED, outbox.parked(PARKED_LIMIT).stream().map(OutboxEndpoint::describe).toList());
		return described;
	}

	/**
	 * Requeues or discards a resource's parked items, as a write operation: the body it requires makes the web
	 * endpoint accept only JSON, which a cross-site form or {@code text/plain} request cannot send without the browser
	 * asking first.
	 * @param resource the resource whose outbox it is
	 * @param requeue {@code parked} to requeue every parked item, else the id of the one to requeue
	 * @param discard the id of the parked item to discard
	 * @return what was done, or {@code null} when no outbox serves the resource or no such item is parked
	 */
	@WriteOperation
	public @Nullable Map<String, Object> requeue(@Selector String resource, @Nullable String requeue,
			@Nullable String discard) {
		if ((requeue == null) == (discard == null)) {
			throw new InvalidEndpointRequestException("Give either 'requeue' or 'discard'",
					"'requeue' must be 'parked' or a parked item's id, or 'discard' a parked item's id");
		}
		if (PARKED.equals(requeue)) {
			return requeueParked(resource);
		}
		Outbox outbox = find(resource);
		if (outbox == null) {
			return null;
		}
		if (requeue != null) {
			return outbox.requeueParked(requeue) ? Map.of("resource", resource, "requeued", requeue) : null;
		}
		return outbox.discardParked(discard) ? Map.of("resource", resource, "discarded", discard) : null;
	}

	/**
	 * Requeues a resource's parked items.
	 * @param resource the resource whose outbox it is
	 * @return the number of items requeued, or {@code null} when no outbox serves the resource
	 */
	public @Nullable Map<String, Object> requeueParked(String resource) {
		Outbox outbox = find(resource);
		return (outbox != null) ? Map.of("resource", resource, "requeued", outbox.requeueParked()) : null;
	}

	private @Nullable Outbox find(String resource) {
		for (Outbox outbox : this.outboxes) {
			if (outbox.getChannel().equals(resource)) {
				return outbox;
			}
		}
		return null;
	}

	private static Map<String, Object> describe(ParkedItem item) {
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("id", item.id());
		described.put("attempts", item.attempts());
		if (item.lastError() != null) {
			described.put("lastError", item.lastError());
		}
		if (item.enqueuedAt() != null) {
			described.put("enqueuedAt", item.enqueuedAt().toString());
		}
		return described;
	}

}
