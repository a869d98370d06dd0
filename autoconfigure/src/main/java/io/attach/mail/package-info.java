/**
 * {@code SMTP_URL} attached as Spring's {@code JavaMailSender}, sending through a durable outbox.
 */
@NullMarked
package io.attach.mail;

import org.jspecify.annotations.NullMarked;
