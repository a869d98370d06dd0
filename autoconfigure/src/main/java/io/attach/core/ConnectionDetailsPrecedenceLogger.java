package io.attach.core;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Says at startup when a {@link ConnectionDetails} bean of the user's or of a {@code @ServiceConnection} takes
 * precedence over a resource's URL, so that an ignored variable is never a mystery. Kinds for which Boot has no
 * {@code ConnectionDetails}, such as mail, pass the bean that takes their place instead.
 *
 * @author attach
 */
public final class ConnectionDetailsPrecedenceLogger implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ConnectionDetailsPrecedenceLogger.class);

	private final AttachedResource resource;

	private final ObjectProvider<?> connectionDetails;

	private final Class<?> attachType;

	/**
	 * Creates a logger for one resource.
	 * @param resource the attached resource
	 * @param connectionDetails the connection details (or the bean in their place) of the resource's type in the
	 * context
	 * @param attachType the type of the bean attach builds from the URL
	 */
	public ConnectionDetailsPrecedenceLogger(AttachedResource resource, ObjectProvider<?> connectionDetails,
			Class<?> attachType) {
		this.resource = resource;
		this.connectionDetails = connectionDetails;
		this.attachType = attachType;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Object details = this.connectionDetails.getIfUnique();
		if (details != null && !this.attachType.isInstance(details)) {
			logger.info(this.resource.setting() + " is set, but the " + details.getClass().getName()
					+ " bean takes precedence: " + this.resource.name() + " does not use " + this.resource.setting());
		}
	}

}
