package io.attach.messaging;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure of the infrastructure a handler runs on, such as the database the {@link Inbox} is in being
 * unreachable, from a failure of the handler: the first is retried without counting as an attempt.
 *
 * @author attach
 */
final class InfrastructureFailures {

	// SQL states of class 08: the connection failed.
	private static final String CONNECTION_EXCEPTION = "08";

	private InfrastructureFailures() {
	}

	/**
	 * Tells whether a failure, or one of its causes, is a transient failure of the database.
	 * @param failure what the dispatch caught
	 * @return whether it is
	 */
	static boolean isTransient(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof TransientDataAccessException || cause instanceof DataAccessResourceFailureException
					|| cause instanceof RecoverableDataAccessException
					|| cause instanceof CannotCreateTransactionException || cause instanceof SQLTransientException
					|| cause instanceof SQLRecoverableException) {
				return true;
			}
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& sql.getSQLState().startsWith(CONNECTION_EXCEPTION)) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
