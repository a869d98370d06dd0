package io.attach.outbox;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Defers work to the end of the caller's Spring-managed transaction, when there is one.
 *
 * @author attach
 */
final class TransactionHook {

	private static final boolean TRANSACTIONS_PRESENT = ClassUtils.isPresent(
			"org.springframework.transaction.support.TransactionSynchronizationManager",
			TransactionHook.class.getClassLoader());

	private TransactionHook() {
	}

	/**
	 * Runs one action when the current transaction commits, another when it rolls back, and a third when its
	 * outcome is unknown.
	 * @param onCommit what to run after a commit
	 * @param onRollback what to run after a rollback
	 * @param onUnknown what to run when the transaction manager cannot tell
	 * @return {@code true} if the actions were registered, {@code false} when no transaction is active and the caller
	 * must act now
	 */
	static boolean afterCompletion(Runnable onCommit, Runnable onRollback, Runnable onUnknown) {
		if (!TRANSACTIONS_PRESENT || !TransactionSynchronizationManager.isSynchronizationActive()) {
			return false;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCompletion(int status) {
				if (status == STATUS_COMMITTED) {
					onCommit.run();
				}
				else if (status == STATUS_ROLLED_BACK) {
					onRollback.run();
				}
				else {
					onUnknown.run();
				}
			}

		});
		return true;
	}

}
