package io.attach.core;

import org.jspecify.annotations.Nullable;

/**
 * One host of a URL's authority, with its port when one was given.
 *
 * @param host the host name, IP address (IPv6 without brackets) or decoded socket path
 * @param port the port, or {@code null} when the URL leaves it to the default
 * @author attach
 */
public record HostAndPort(String host, @Nullable Integer port) {

	/**
	 * Tells whether the host is a unix-domain socket path rather than a network host.
	 * @return whether the host starts with {@code /}
	 */
	public boolean isSocketPath() {
		return this.host.startsWith("/");
	}

	/**
	 * Returns the port, or the given default when the URL has none.
	 * @param defaultPort the port to use when none was given
	 * @return the port
	 */
	public int portOr(int defaultPort) {
		return (this.port != null) ? this.port : defaultPort;
	}

	@Override
	public String toString() {
		String name = (this.host.indexOf(':') >= 0) ? "[" + this.host + "]" : this.host;
		return (this.port != null) ? name + ":" + this.port : name;
	}

}
