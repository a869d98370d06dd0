/**
 * Test support for applications with attached services: a loopback fault proxy, test mail servers, a TLS test
 * certificate, local-server checks and small HTTP and load clients.
 */
@NullMarked
package io.attach.test;

import org.jspecify.annotations.NullMarked;
