package io.attach.outbox;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.attach.core.ResourceDeclaration;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches the outbox store the environment chooses: {@code attach.outbox.store}, else a table when a database is
 * attached and files when none is.
 *
 * @author attach
 */
class OutboxStoreCondition extends SpringBootCondition {

	private static final Pattern SUPPORTED_JDBC = Pattern.compile("jdbc:([a-z0-9-]+:)*(postgresql|mysql|mariadb|h2):");

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = Objects
			.requireNonNull(metadata.getAnnotationAttributes(ConditionalOnOutboxStore.class.getName()));
		AttachOutboxProperties.Store wanted = (AttachOutboxProperties.Store) attributes.get("value");
		AttachOutboxProperties.Store chosen = chosen(context.getEnvironment());
		return (chosen == wanted) ? ConditionOutcome.match("outbox store is " + chosen)
				: ConditionOutcome.noMatch("outbox store is " + chosen + ", not " + wanted);
	}

	static AttachOutboxProperties.Store chosen(Environment environment) {
		// Bound as configuration properties are, so that 'jdbc' means JDBC in any environment.
		AttachOutboxProperties.Store configured = Binder.get(environment)
			.bind("attach.outbox.store", AttachOutboxProperties.Store.class)
			.orElse(AttachOutboxProperties.Store.AUTO);
		if (configured != AttachOutboxProperties.Store.AUTO) {
			return configured;
		}
		// An embedded database that nobody attached may be in memory: not a durable place for the queue.
		ResourceDeclaration database = ResourceDeclaration.of(environment, "database");
		return (database.isAttached() && supported(database.url())) ? AttachOutboxProperties.Store.JDBC
				: AttachOutboxProperties.Store.FILE;
	}

	private static boolean supported(@Nullable String url) {
		String lower = (url != null) ? url.toLowerCase(Locale.ROOT) : "";
		// In memory is no place for a queue that must survive a restart.
		if (lower.startsWith("h2:mem") || lower.startsWith("jdbc:h2:mem")) {
			return false;
		}
		// The table's DDL and queries are written for these, also behind a wrapper such as jdbc:p6spy:postgresql:.
		return !lower.startsWith("jdbc:") || SUPPORTED_JDBC.matcher(lower).lookingAt();
	}

}
