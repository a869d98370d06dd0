package io.attach.jdbc;

import io.attach.core.AttachedResource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Says at startup when a {@link JdbcConnectionDetails} bean of the user's or of a {@code @ServiceConnection} takes
 * precedence over {@code DATABASE_URL}, so that an ignored variable is never a mystery.
 *
 * @author attach
 */
final class ConnectionDetailsPrecedenceLogger implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ConnectionDetailsPrecedenceLogger.class);

	private final AttachedResource database;

	private final ObjectProvider<JdbcConnectionDetails> connectionDetails;

	ConnectionDetailsPrecedenceLogger(AttachedResource database, ObjectProvider<JdbcConnectionDetails> connectionDetails) {
		this.database = database;
		this.connectionDetails = connectionDetails;
	}

	@Override
	public void afterSingletonsInstantiated() {
		JdbcConnectionDetails details = this.connectionDetails.getIfUnique();
		if (details != null && !(details instanceof DatabaseUrlJdbcConnectionDetails)) {
			logger.info(this.database.setting() + " is set, but the JdbcConnectionDetails bean of type "
					+ details.getClass().getName() + " takes precedence: the DataSource does not use "
					+ this.database.setting());
		}
	}

}
