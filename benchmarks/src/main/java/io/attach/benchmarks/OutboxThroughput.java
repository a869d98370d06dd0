package io.attach.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Measures, in one run and against GreenMail through a loopback proxy, what a {@code send()} costs through attach's
 * outbox compared with a direct {@code JavaMailSender.send()}, how soon the first queued mail leaves once SMTP is back
 * after an outage long enough for the relay to back off and the breaker to open, and how fast the outbox then drains
 * — for the file store and for the PostgreSQL store. Arguments: mails (2000), outage seconds (10), health check
 * interval (1s, attach.health.interval and attach.mail.check-interval, so that the check sees the outage).
 *
 * @author attach
 */
public final class OutboxThroughput {

	private OutboxThroughput() {
	}

	public static void main(String[] args) throws Exception {
		int mails = (args.length > 0) ? Integer.parseInt(args[0]) : 2000;
		long outage = (args.length > 1) ? Long.parseLong(args[1]) : 10;
		String healthInterval = (args.length > 2) ? args[2] : "1s";
		GreenMail greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		greenMail.start();
		List<String> report = new ArrayList<>();
		try (FaultProxy smtp = FaultProxy.to("127.0.0.1", greenMail.getSmtp().getPort())) {
			Path spool = Files.createTempDirectory("attach-outbox-bench");
			report.addAll(scenario("file", mails, outage, greenMail, smtp, "--attach.health.interval=" + healthInterval,
					"--attach.mail.check-interval=" + healthInterval, "--attach.outbox.directory=" + spool));
			String table = "attach_outbox_bench_" + System.nanoTime();
			int port = LocalServers.POSTGRES.require().port();
			try {
				report.addAll(scenario("postgresql", mails, outage, greenMail, smtp,
						"--attach.health.interval=" + healthInterval, "--attach.mail.check-interval=" + healthInterval,
						"--DATABASE_URL=postgres://postgres@127.0.0.1:" + port + "/test",
						"--attach.outbox.table=" + table));
			}
			finally {
				try (Connection connection = DriverManager
					.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/test", "postgres", "")) {
					connection.createStatement().execute("DROP TABLE IF EXISTS " + table);
				}
			}
		}
		finally {
			greenMail.stop();
		}
		System.out.println();
		report.forEach(System.out::println);
	}

	private static List<String> scenario(String store, int mails, long outage, GreenMail greenMail, FaultProxy smtp,
			String... settings) throws InterruptedException {
		List<String> arguments = new ArrayList<>(List.of(settings));
		// The relay's own backoff (up to 30 s) and the breaker's open state (5 s) as shipped: only the health check's
		// return to UP may cut them short.
		arguments.addAll(List.of("--SMTP_URL=smtp://127.0.0.1:" + smtp.getPort(), "--spring.flyway.enabled=false",
				"--logging.level.io.attach.outbox=error", "--logging.level.com.icegreen=warn"));
		smtp.pass();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new))) {
			JavaMailSender outbox = context.getBean(JavaMailSender.class);
			JavaMailSender direct = context.getBean("smtpMailSender", JavaMailSender.class);
			// Warm both paths up, and let the relay deliver the warm-up mail before measuring.
			int warm = greenMail.getReceivedMessages().length;
			sendAll(direct, mails / 4, "warm-direct");
			sendAll(outbox, mails / 4, "warm-outbox");
			awaitReceived(greenMail, warm, 2 * (mails / 4));
			int before = greenMail.getReceivedMessages().length;
			Latencies directSends = sendAll(direct, mails, "direct");
			awaitReceived(greenMail, before, mails);
			// SMTP refused: the relay backs off and the sends below measure the enqueue alone.
			smtp.refuse();
			Latencies outboxSends = sendAll(outbox, mails, "outbox");
			// Long enough for the relay's backoff to grow past the health check's interval and the breaker to open.
			Thread.sleep(outage * 1000);
			int queuedAt = greenMail.getReceivedMessages().length;
			long recovered = System.nanoTime();
			smtp.pass();
			// The wait for the first mail is the health check seeing SMTP back and waking the relay, not the drain.
			awaitReceived(greenMail, queuedAt, 1);
			long first = System.nanoTime();
			awaitReceived(greenMail, queuedAt, mails);
			double seconds = (System.nanoTime() - first) / 1e9;
			return List.of(String.format("%-10s direct send()  %s", store, directSends),
					String.format("%-10s outbox send()  %s", store, outboxSends),
					String.format("%-10s first mail %.2f s after SMTP came back (outage %d s, health check every %s);"
							+ " then %d mails in %.2f s = %.0f mails/s", store, (first - recovered) / 1e9, outage,
							context.getEnvironment().getProperty("attach.health.interval"), mails - 1, seconds,
							(mails - 1) / seconds));
		}
	}

	private static Latencies sendAll(JavaMailSender sender, int count, String label) {
		Latencies latencies = new Latencies(count);
		for (int i = 0; i < count; i++) {
			SimpleMailMessage message = new SimpleMailMessage();
			message.setTo(label + i + "@example.com");
			message.setSubject("Benchmark " + label + " " + i);
			message.setText("Hello " + i);
			long start = System.nanoTime();
			sender.send(message);
			latencies.add(System.nanoTime() - start);
		}
		return latencies;
	}

	private static void awaitReceived(GreenMail greenMail, int before, int count) throws InterruptedException {
		while (greenMail.getReceivedMessages().length < before + count) {
			Thread.sleep(1);
		}
	}

	/**
	 * The smallest application attach configures mail for.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
