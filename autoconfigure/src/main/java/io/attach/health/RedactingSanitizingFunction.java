package io.attach.health;

import io.attach.core.UrlRedactor;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Redacts the password of any URL-valued property, so that {@code env} and {@code configprops} never show it even
 * when their values are shown.
 *
 * @author attach
 */
final class RedactingSanitizingFunction implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() instanceof CharSequence value && UrlRedactor.hasSecrets(value.toString())) {
			return data.withValue(UrlRedactor.redact(value.toString()));
		}
		return data;
	}

}
