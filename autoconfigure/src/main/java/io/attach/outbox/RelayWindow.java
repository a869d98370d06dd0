package io.attach.outbox;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The items of one round a {@link OutboxDelivery.Connection} has sent ahead of their answers, at most its
 * {@linkplain OutboxDelivery.Connection#window() window}: each item's call sends what the window has room for, then
 * awaits that item's own answer, so that every call of the gate still stands for one item and its outcome.
 *
 * @author attach
 */
final class RelayWindow {

	private final OutboxDelivery.Connection connection;

	private final RelayBatch batch;

	private final int size;

	private final BooleanSupplier go;

	private final OutboxDelivery.Sent[] sent;

	private int sentCount;

	// Set once sending failed: nothing more goes out on a connection the service broke.
	private boolean broken;

	RelayWindow(OutboxDelivery.Connection connection, RelayBatch batch, BooleanSupplier go) {
		this.connection = connection;
		this.batch = batch;
		this.size = Math.max(1, connection.window());
		this.go = go;
		this.sent = new OutboxDelivery.Sent[batch.items().size()];
	}

	/**
	 * Tells whether an item may be settled next: it was sent already, or it may start now.
	 * @param index the item's index
	 * @return whether to call {@link #deliver(int)} for it
	 */
	boolean admit(int index) {
		return index < this.sentCount || (!this.broken && this.batch.start(index, this.go.getAsBoolean()));
	}

	/**
	 * Sends the item unless sent already, and the items after it the window has room for, then awaits its answer.
	 * @param index the item's index, {@linkplain #admit(int) admitted}
	 * @throws RejectedItemException if the service refused the item
	 * @throws Exception if the service failed, when sending the item or before answering it
	 */
	void deliver(int index) throws Exception {
		List<OutboxItem> items = this.batch.items();
		if (index == this.sentCount) {
			// Counted before it is sent: its own failure to send is its own outcome, and the next item is sent next.
			this.sentCount++;
			this.sent[index] = this.connection.send(items.get(index));
		}
		int end = Math.min(items.size(), index + this.size);
		while (!this.broken && this.sentCount < end && this.batch.start(this.sentCount, this.go.getAsBoolean())) {
			sendAhead(items.get(this.sentCount));
		}
		this.sent[index].await();
	}

	private void sendAhead(OutboxItem item) {
		OutboxDelivery.Sent answer;
		try {
			answer = this.connection.send(item);
		}
		catch (RejectedItemException ex) {
			// Refused without being sent: the connection works, and the items behind it go on.
			answer = () -> {
				throw ex;
			};
		}
		catch (Exception ex) {
			// Charged to this item when its turn comes, after the items sent before it are answered and settled.
			this.broken = true;
			answer = () -> {
				throw ex;
			};
		}
		this.sent[this.sentCount++] = answer;
	}

}
