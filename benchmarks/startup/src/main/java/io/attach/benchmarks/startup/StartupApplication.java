package io.attach.benchmarks.startup;

import java.time.Duration;
import java.util.Comparator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.core.metrics.StartupStep.Tag;

/**
 * The application whose startup {@code benchmarks/startup.sh} measures, built three times: with the attach starter
 * ({@code startup/attach}), with the Boot starters it brings alone ({@code startup/starters}) and with webmvc, actuator
 * and JDBC alone ({@code startup/plain}).
 * <p>
 * With {@code -Dstartup.steps=N} it prints the N slowest beans to create, to find where startup goes (never in a
 * measured run: recording the steps costs time too).
 *
 * @author attach
 */
@SpringBootApplication
public class StartupApplication {

	public static void main(String[] args) {
		int steps = Integer.getInteger("startup.steps", 0);
		SpringApplication application = new SpringApplication(StartupApplication.class);
		if (steps == 0) {
			application.run(args);
			return;
		}
		BufferingApplicationStartup startup = new BufferingApplicationStartup(100_000);
		application.setApplicationStartup(startup);
		application.run(args);
		startup.getBufferedTimeline()
			.getEvents()
			.stream()
			.filter((event) -> event.getStartupStep().getName().equals("spring.beans.instantiate"))
			.sorted(Comparator.comparing(TimelineEvent::getDuration).reversed())
			.limit(steps)
			.forEach((event) -> System.out.printf("%6d ms %s%n", event.getDuration().toMillis(), beanName(event)));
		Duration total = startup.getBufferedTimeline()
			.getEvents()
			.stream()
			.filter((event) -> event.getStartupStep().getName().equals("spring.context.refresh"))
			.map(TimelineEvent::getDuration)
			.findFirst()
			.orElse(Duration.ZERO);
		System.out.printf("%6d ms refresh%n", total.toMillis());
	}

	private static String beanName(TimelineEvent event) {
		for (Tag tag : event.getStartupStep().getTags()) {
			if (tag.getKey().equals("beanName")) {
				return tag.getValue();
			}
		}
		return "?";
	}

}
