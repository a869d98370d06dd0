package io.attach.jdbc;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * Adapts {@link DatabaseUrl} to {@link JdbcConnectionDetails}.
 *
 * @author attach
 */
final class DatabaseUrlJdbcConnectionDetails implements JdbcConnectionDetails {

	private final DatabaseUrl url;

	DatabaseUrlJdbcConnectionDetails(DatabaseUrl url) {
		this.url = url;
	}

	@Override
	public @Nullable String getUsername() {
		return this.url.username();
	}

	@Override
	public @Nullable String getPassword() {
		return this.url.password();
	}

	@Override
	public String getJdbcUrl() {
		return this.url.jdbcUrl();
	}

	@Override
	public String toString() {
		return this.url.toString();
	}

}
