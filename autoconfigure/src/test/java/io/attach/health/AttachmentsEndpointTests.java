package io.attach.health;

import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLException;

import io.attach.core.AttachedResources;
import io.attach.core.ResourceDeclaration;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link AttachmentsEndpoint}.
 *
 * @author attach
 */
class AttachmentsEndpointTests {

	@Test
	void whenUserNameIsThePasswordThenTheEndpointShowsNeither() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("SMTP_URL", "smtp://canary-token:canary-token@smtp.postmarkapp.com:587")
			.withProperty("REDIS_URL", "redis://canary-password@cache.example.com:6379/0")
			.withProperty("DATABASE_URL", "postgres://app:canary-password@db.example.com?application_name=a@b");
		AttachmentsEndpoint endpoint = new AttachmentsEndpoint(
				new AttachedResources(ResourceDeclaration.all(environment)),
				new ResourceHealthMonitor(Duration.ofMillis(800), Duration.ofSeconds(2), List.of()), List.of());
		assertThat(endpoint.attachments().resources()).extracting(AttachmentsEndpoint.ResourceDescriptor::url)
			.containsExactly("postgres://app:****@db.example.com?application_name=a@b",
					"redis://****@cache.example.com:6379/0", "smtp://****:****@smtp.postmarkapp.com:587")
			.noneMatch((url) -> url.contains("canary"));
	}

	@Test
	void whenAResourceIsDownForAKnownCauseThenTheEndpointSaysIt() {
		MockEnvironment environment = new MockEnvironment().withProperty("REDIS_URL", "rediss://cache.example.com:6379");
		AttachedResources resources = new AttachedResources(ResourceDeclaration.all(environment));
		ResourceHealthMonitor monitor = new ResourceHealthMonitor(Duration.ofSeconds(5), Duration.ofHours(1), List.of());
		try {
			MonitoredHealthIndicator indicator = monitor.monitor(resources.get("cache").orElseThrow(),
					() -> DownHealth.of(new SSLException("Unsupported or unrecognized SSL message")).build());
			indicator.refresh();
			await().atMost(Duration.ofSeconds(10)).until(() -> indicator.getLatest() != null);
			AttachmentsEndpoint endpoint = new AttachmentsEndpoint(resources, monitor, List.of());
			assertThat(endpoint.attachments().resources()).singleElement()
				.satisfies((cache) -> assertThat(cache.details()).containsEntry("cause",
						"the server answered in plain text on a TLS connection"));
		}
		finally {
			monitor.destroy();
		}
	}

}
