package io.attach.sample;

import java.io.IOException;
import java.io.Reader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.attach.amqp.AttachAmqpProperties;
import io.attach.core.AttachProperties;
import io.attach.core.ResourceDeclaration;
import io.attach.outbox.AttachOutboxProperties;
import io.attach.test.Http;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplication.AbandonedRunException;
import org.springframework.boot.SpringApplicationHook;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.autoconfigure.context.LifecycleProperties;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the Kubernetes manifests and the {@code Dockerfile} agree with the configuration the sample app really
 * gets in the pod: its prod profile, attach's defaults and Boot's Kubernetes detection, read through Boot's own
 * environment preparation.
 *
 * @author attach
 */
class KubernetesManifestsTests {

	private static final Path KUBERNETES = Path.of("kubernetes");

	private static final Path DOCKERFILE = Path.of("Dockerfile");

	// What the kubelet puts in every container's environment, by which Boot detects Kubernetes.
	private static final Map<String, String> KUBELET_VARIABLES = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
			"KUBERNETES_SERVICE_PORT", "443");

	private static List<Map<String, Object>> manifests;

	private static Map<String, Object> deployment;

	private static Map<String, Object> podSpec;

	private static Map<String, Object> container;

	private static ConfigurableEnvironment environment;

	@BeforeAll
	static void loadManifestsAndTheEnvironmentOfThePod() throws IOException {
		manifests = loadManifests();
		deployment = only("Deployment");
		podSpec = map(map(map(deployment, "spec"), "template"), "spec");
		List<Map<String, Object>> containers = list(podSpec, "containers");
		assertThat(containers).hasSize(1);
		container = containers.get(0);
		environment = prepareEnvironment(containerVariables(), stringList(container, "args"));
	}

	@Test
	void whenThePodGetsTheExampleSecretThenEveryResourceTheProfileRequiresIsAttached() {
		AttachProperties attach = Binder.get(environment).bindOrCreate("attach", AttachProperties.class);
		// Not vacuous: the profile the manifest activates requires resources (a missing one fails the preparation).
		assertThat(attach.getRequire()).isNotEmpty();
		Map<String, String> secret = secretData(secretNamedByTheDeployment());
		for (String required : attach.getRequire()) {
			ResourceDeclaration declaration = ResourceDeclaration.of(environment, getClass().getClassLoader(),
					required);
			assertThat(declaration.isAttached()).as(required).isTrue();
			assertThat(secret).as(required).containsKey(declaration.setting());
		}
	}

	@Test
	void mailSenderComesFromTheSecretRatherThanTheSamplesFallback() {
		assertThat(environment.getProperty("attach.mail.from"))
			.isEqualTo(secretData(secretNamedByTheDeployment()).get("MAIL_FROM"));
	}

	@Test
	void probesGoToTheMainServerPortAtThePathsAttachServesThere() {
		assertThat(environment.getProperty("management.endpoint.health.probes.add-additional-paths", Boolean.class))
			.isTrue();
		int serverPort = serverPort();
		assertThat(probeContainerPort("startupProbe")).isEqualTo(serverPort);
		assertThat(probeContainerPort("livenessProbe")).isEqualTo(serverPort);
		assertThat(probeContainerPort("readinessProbe")).isEqualTo(serverPort);
		assertThat(probePath("startupProbe")).isEqualTo("/livez");
		assertThat(probePath("livenessProbe")).isEqualTo("/livez");
		assertThat(probePath("readinessProbe")).isEqualTo("/readyz");
	}

	@Test
	void managementContainerPortIsTheManagementServerPortBootMovesToOnKubernetes() {
		Integer managementPort = environment.getProperty("management.server.port", Integer.class);
		assertThat(managementPort).isNotNull().isNotEqualTo(serverPort());
		assertThat(containerPort("management")).isEqualTo(managementPort);
	}

	@Test
	void probesWaitLongerThanTheFirstHealthCheckMay() {
		Duration checkTimeout = Binder.get(environment).bindOrCreate("attach", AttachProperties.class)
			.getHealth()
			.getTimeout();
		for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
			assertThat(Duration.ofSeconds(probeTimeoutSeconds(probe))).as(probe).isGreaterThan(checkTimeout);
		}
	}

	@Test
	void readinessIsProbedNoMoreOftenThanAttachRefreshesIt() {
		Duration interval = Binder.get(environment).bindOrCreate("attach", AttachProperties.class)
			.getHealth()
			.getInterval();
		assertThat(Duration.ofSeconds(seconds(probe("readinessProbe"), "periodSeconds", 10)))
			.isGreaterThanOrEqualTo(interval);
	}

	@Test
	void terminationGracePeriodOutlastsPreStopAndEveryShutdownWait() {
		Binder binder = Binder.get(environment);
		assertThat(binder.bindOrCreate("server", ServerProperties.class).getShutdown()).isEqualTo(Shutdown.GRACEFUL);
		Duration stopping = preStopSleep()
			.plus(binder.bindOrCreate("spring.lifecycle", LifecycleProperties.class).getTimeoutPerShutdownPhase())
			.plus(binder.bindOrCreate("attach.outbox", AttachOutboxProperties.class).getShutdownGrace())
			.plus(binder.bindOrCreate("attach.amqp", AttachAmqpProperties.class).getShutdownTimeout());
		assertThat(Duration.ofSeconds(seconds(podSpec, "terminationGracePeriodSeconds", 30))).isGreaterThan(stopping);
	}

	@Test
	void serviceSendsTrafficToTheMainPortOfThePods() {
		Map<String, Object> service = only("Service");
		Map<String, Object> podLabels = map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels");
		assertThat(podLabels).containsAllEntriesOf(map(map(service, "spec"), "selector"));
		List<Map<String, Object>> ports = list(map(service, "spec"), "ports");
		assertThat(ports).isNotEmpty();
		for (Map<String, Object> port : ports) {
			assertThat(port.get("targetPort")).isInstanceOf(String.class);
			assertThat(containerPort((String) port.get("targetPort"))).isEqualTo(serverPort());
		}
	}

	@Test
	void imageUserAndPortsAreTheDeployments() throws IOException {
		String dockerfile = Files.readString(DOCKERFILE);
		Map<String, Object> securityContext = map(podSpec, "securityContext");
		assertThat(securityContext).containsEntry("runAsNonRoot", true);
		assertThat(lastInstruction(dockerfile, "USER"))
			.isEqualTo(securityContext.get("runAsUser") + ":" + securityContext.get("runAsGroup"));
		assertThat(lastInstruction(dockerfile, "EXPOSE").split(" ")).containsExactlyInAnyOrder(
				String.valueOf(containerPort("http")), String.valueOf(containerPort("management")));
	}

	@Test
	void probePathsAnswerOnTheMainPortWhileTheActuatorHasItsOwn() {
		// On the dev profile, which needs no server: where the probe paths are served does not depend on the profile.
		SpringApplication application = new SpringApplication(SampleApplication.class);
		try (ConfigurableApplicationContext context = application.run("--spring.main.cloud-platform=kubernetes",
				"--server.port=0", "--management.server.port=0")) {
			Http http = new Http(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class),
					Duration.ofSeconds(5));
			for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
				HttpResponse<String> response = http.get(probePath(probe));
				assertThat(response.statusCode()).as(probe).isEqualTo(200);
				assertThat(response.body()).as(probe).contains("\"status\":\"UP\"");
			}
			assertThat(http.get("/actuator/health").statusCode()).isEqualTo(404);
		}
	}

	private static int serverPort() {
		Integer port = Binder.get(environment).bindOrCreate("server", ServerProperties.class).getPort();
		return (port != null) ? port : 8080;
	}

	private static Map<String, Object> probe(String name) {
		Map<String, Object> probe = map(container, name);
		assertThat(probe).as(name).isNotNull();
		return probe;
	}

	private static String probePath(String probe) {
		return (String) map(probe(probe), "httpGet").get("path");
	}

	private static int probeContainerPort(String probe) {
		Object port = map(probe(probe), "httpGet").get("port");
		assertThat(port).as(probe + " port, named so that it follows the container's").isInstanceOf(String.class);
		return containerPort((String) port);
	}

	private static int probeTimeoutSeconds(String probe) {
		return seconds(probe(probe), "timeoutSeconds", 1);
	}

	private static int containerPort(String name) {
		List<Map<String, Object>> ports = list(container, "ports");
		return ports.stream()
			.filter((port) -> name.equals(port.get("name")))
			.map((port) -> (Integer) port.get("containerPort"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No container port named " + name));
	}

	private static Duration preStopSleep() {
		Map<String, Object> preStop = map(map(container, "lifecycle"), "preStop");
		if (preStop == null) {
			return Duration.ZERO;
		}
		if (preStop.containsKey("sleep")) {
			return Duration.ofSeconds(seconds(map(preStop, "sleep"), "seconds", 0));
		}
		List<String> command = stringList(map(preStop, "exec"), "command");
		assertThat(command).as("preStop").hasSize(2).first().isEqualTo("sleep");
		return Duration.ofSeconds(Long.parseLong(command.get(1)));
	}

	private static int seconds(Map<String, Object> map, String key, int kubernetesDefault) {
		Object value = map.get(key);
		return (value != null) ? (Integer) value : kubernetesDefault;
	}

	static String lastInstruction(String dockerfile, String instruction) {
		Matcher matcher = Pattern.compile("(?m)^" + instruction + " (.+)$").matcher(dockerfile);
		String last = null;
		while (matcher.find()) {
			last = matcher.group(1).trim();
		}
		assertThat(last).as(instruction).isNotNull();
		return last;
	}

	private static Map<String, Object> secretNamedByTheDeployment() {
		List<Map<String, Object>> envFrom = list(container, "envFrom");
		List<Map<String, Object>> secretRefs = envFrom.stream().map((source) -> map(source, "secretRef")).toList();
		assertThat(secretRefs).hasSize(1).doesNotContainNull();
		Object name = secretRefs.get(0).get("name");
		return manifests.stream()
			.filter((manifest) -> "Secret".equals(manifest.get("kind")))
			.filter((secret) -> name.equals(map(secret, "metadata").get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No Secret named " + name));
	}

	private static Map<String, String> secretData(Map<String, Object> secret) {
		Map<String, String> data = new LinkedHashMap<>();
		Map<String, Object> encoded = map(secret, "data");
		if (encoded != null) {
			encoded.forEach((key, value) -> data.put(key,
					new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8)));
		}
		Map<String, Object> plain = map(secret, "stringData");
		if (plain != null) {
			plain.forEach((key, value) -> data.put(key, String.valueOf(value)));
		}
		return data;
	}

	// The container's environment as the kubelet builds it: its Secret, then its own env entries, which win.
	private static Map<String, Object> containerVariables() {
		Map<String, Object> variables = new LinkedHashMap<>(KUBELET_VARIABLES);
		variables.putAll(secretData(secretNamedByTheDeployment()));
		List<Map<String, Object>> env = list(container, "env");
		if (env != null) {
			env.forEach((variable) -> variables.put((String) variable.get("name"), variable.get("value")));
		}
		return variables;
	}

	// Boot prepares the environment as in the pod, attach's post-processor included; the run ends there.
	private static ConfigurableEnvironment prepareEnvironment(Map<String, Object> variables, List<String> args) {
		StandardEnvironment podEnvironment = new StandardEnvironment();
		podEnvironment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setEnvironment(podEnvironment);
		AtomicReference<ConfigurableEnvironment> prepared = new AtomicReference<>();
		SpringApplicationHook hook = (app) -> new SpringApplicationRunListener() {

			@Override
			public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext,
					ConfigurableEnvironment environment) {
				prepared.set(environment);
				throw new AbandonedRunException();
			}

		};
		assertThatExceptionOfType(AbandonedRunException.class)
			.isThrownBy(() -> SpringApplication.withHook(hook, () -> application.run(args.toArray(String[]::new))));
		return prepared.get();
	}

	private static List<Map<String, Object>> loadManifests() throws IOException {
		List<Map<String, Object>> loaded = new ArrayList<>();
		List<Path> files;
		try (Stream<Path> walk = Files.walk(KUBERNETES)) {
			files = walk.filter((path) -> path.toString().endsWith(".yaml")).sorted().toList();
		}
		for (Path file : files) {
			try (Reader reader = Files.newBufferedReader(file)) {
				for (Object document : new Yaml().loadAll(reader)) {
					if (document != null) {
						loaded.add(cast(document));
					}
				}
			}
		}
		return loaded;
	}

	private static Map<String, Object> only(String kind) {
		List<Map<String, Object>> ofKind = manifests.stream()
			.filter((manifest) -> kind.equals(manifest.get("kind")))
			.toList();
		assertThat(ofKind).as(kind).hasSize(1);
		return ofKind.get(0);
	}

	private static Map<String, Object> map(Map<String, Object> map, String key) {
		return cast(map.get(key));
	}

	private static <T> List<T> list(Map<String, Object> map, String key) {
		return cast(map.get(key));
	}

	private static List<String> stringList(Map<String, Object> map, String key) {
		List<Object> values = list(map, key);
		return values.stream().map(String::valueOf).toList();
	}

	@SuppressWarnings("unchecked")
	private static <T> T cast(Object value) {
		return (T) value;
	}

}
