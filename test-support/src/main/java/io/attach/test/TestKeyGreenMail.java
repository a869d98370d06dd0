package io.attach.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail whose SMTPS server presents the {@link TestTls} key: GreenMail's own keystore setting is a JVM-wide
 * system property, read once by a singleton, so it cannot differ between instances or tests.
 *
 * @author attach
 */
public final class TestKeyGreenMail extends GreenMail {

	/**
	 * Creates the servers, not yet started.
	 * @param setup the servers to run
	 */
	public TestKeyGreenMail(ServerSetup... setup) {
		super(setup);
	}

	@Override
	protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
		Map<String, AbstractServer> services = super.createServices(config, managers);
		for (ServerSetup setup : config) {
			if (setup.isSecure() && setup.getProtocol().startsWith(ServerSetup.PROTOCOL_SMTP)) {
				services.put(setup.getProtocol(), new TestKeySmtpServer(setup, managers));
			}
		}
		return services;
	}

	private static final class TestKeySmtpServer extends SmtpServer {

		TestKeySmtpServer(ServerSetup setup, Managers managers) {
			super(setup, managers);
		}

		@Override
		protected ServerSocket openServerSocket() throws IOException {
			ServerSocket socket = TestTls.serverSslContext().getServerSocketFactory().createServerSocket();
			try {
				socket.setReuseAddress(true);
				socket.bind(new InetSocketAddress(this.bindTo, this.setup.getPort()));
			}
			catch (IOException ex) {
				socket.close();
				throw ex;
			}
			// As GreenMail does, so that getPort() answers the dynamic port.
			this.setup = this.setup.port(socket.getLocalPort());
			return socket;
		}

	}

}
