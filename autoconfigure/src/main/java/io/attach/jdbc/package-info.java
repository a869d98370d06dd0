/**
 * {@code DATABASE_URL} attached as Spring Boot's {@code JdbcConnectionDetails}, with finite timeouts.
 */
@NullMarked
package io.attach.jdbc;

import org.jspecify.annotations.NullMarked;
