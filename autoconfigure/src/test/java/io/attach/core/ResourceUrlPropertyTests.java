package io.attach.core;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of reading URLs that no table of examples can show: real URLs of every kind, their passwords replaced by
 * random ones (percent-encoded, or raw with the delimiters a password holds: {@code @ : / ? # % [ ] , & =}) and then
 * cut, doubled or spliced at random, never leak the password, raw or encoded, into an error, a failure report or the
 * form logged and shown by the endpoints; and an accepted URL always names the host it was written with, whatever
 * happened to its user info, path and query.
 *
 * @author attach
 */
class ResourceUrlPropertyTests {

	// Real URLs of each kind, with PASSWORD where the password goes and HOST for the host. Each has a port or path
	// after its host: without either, a raw '@' then '/' or '?' in a password ("p@x/y?z@host") makes "x" the host by
	// the grammar, as every reader of it has it, and the rest a path and query value, which may hold an address. The
	// parser refuses the shapes of that it can tell (ResourceUrlParserTests), but "x.y/z" is as good a host and path
	// as any: no reader can know which was meant, so no property can say.
	private static final List<String[]> TEMPLATES = List.of(
			new String[] { "DATABASE_URL", "postgres://app:PASSWORD@HOST:5432/shop?sslmode=require" },
			new String[] { "DATABASE_URL", "mysql://app:PASSWORD@HOST/shop?ssl-mode=REQUIRED" },
			new String[] { "DATABASE_URL", "postgresql://app@HOST/shop?password=PASSWORD" },
			new String[] { "REDIS_URL", "rediss://default:PASSWORD@HOST:6380/0" },
			new String[] { "REDIS_URL", "redis://:PASSWORD@HOST:6379" },
			new String[] { "REDIS_URL", "redis://PASSWORD@HOST:6379" },
			new String[] { "SMTP_URL", "smtp://apikey:PASSWORD@HOST:587" },
			new String[] { "SMTP_URL", "smtps://PASSWORD:PASSWORD@HOST:465" },
			new String[] { "AMQP_URL", "amqps://app:PASSWORD@HOST/vhost?heartbeat=30" },
			new String[] { "attach.resources.ledger.url", "postgres://app:PASSWORD@HOST/ledger" });

	private static final String HOST = "db-7.example.com";

	@Property(tries = 3000)
	void whateverHappensToTheUrlItsPasswordIsNeverShown(@ForAll("urls") Mutated url) {
		for (String shown : shown(url)) {
			assertThat(shown).as("what %s shows of %s", url.setting(), url.value())
				.doesNotContain(url.password())
				.doesNotContain(PercentEncoding.encodeUserInfo(url.password()));
		}
	}

	// Found on a seed in CI: a ';' in a query value ended the mask, and a paste done twice showed the password after
	// it.
	@Example
	void aPasswordParameterHoldingASemicolonIsHiddenWhole() {
		whateverHappensToTheUrlItsPasswordIsNeverShown(new Mutated("DATABASE_URL",
				"pstgresql://app@db-7.example.com/shop?password=Zqaaaaa%40%40;%40Wvshop?password=Zqaaaaa%40%40;"
						+ "Zqaaaaa%40%40;%40Wvshop?password=Zqaaaaa%40%40;%40Wv",
				"Zqaaaaa@@;@Wv"));
	}

	// Found on a seed: the redactor ended the user info where the parser refuses to ("tok@a?=x@db.example.com").
	@Example
	void aPasswordCutShortByARawQuestionMarkBeforeADottedHostIsHidden() {
		whateverHappensToTheUrlItsPasswordIsNeverShown(
				new Mutated("REDIS_URL", "redisdis:is://@Zqaaaaaa?=Wv@db-7.example.com", "Zqaaaaaa?=Wv"));
	}

	@Property(tries = 3000)
	void anAcceptedUrlNamesTheHostItWasWrittenWith(@ForAll("urls") Mutated url) {
		ResourceUrl parsed;
		try {
			parsed = attach(url).url();
		}
		catch (InvalidResourceUrlException ex) {
			return;
		}
		// An opaque URL (scheme:text), or one with an empty host, names none: every kind refuses it.
		if (!parsed.opaque() && !parsed.hosts().isEmpty()) {
			assertThat(parsed.hosts()).as("the hosts of %s", url.value())
				.extracting(HostAndPort::host)
				.containsOnly(HOST);
		}
	}

	// Found at 150,000 tries: an empty port, or a host starting with '.', let the password's tail pass for the host.
	@Example
	void aPasswordCutShortBeforeAnEmptyPortOrADotIsNoHost() {
		anAcceptedUrlNamesTheHostItWasWrittenWith(
				new Mutated("REDIS_URL", "redis://Zq@a:?=Wv@db-7.example.com", "Zq@a:?=Wv"));
		anAcceptedUrlNamesTheHostItWasWrittenWith(
				new Mutated("REDIS_URL", "redis://Zq@.1/?=Z~X9bWv@db-7.example.com", "Zq@.1/?=Z~X9bWv"));
	}

	private static AttachedResource attach(Mutated url) {
		MockEnvironment environment = new MockEnvironment().withProperty(url.setting(), url.value());
		return new AttachedResources(ResourceDeclaration.all(environment)).all()
			.stream()
			.filter((resource) -> resource.setting().equals(url.setting()))
			.findFirst()
			.orElseThrow();
	}

	// Everything a user sees of a URL: the logged and endpoint form, or the error and its failure report.
	private static List<String> shown(Mutated url) {
		List<String> shown = new ArrayList<>();
		shown.add(UrlRedactor.redact(url.setting(), url.value()));
		try {
			AttachedResource resource = attach(url);
			shown.add(resource.displayUrl());
			shown.add(resource.url().toString());
			resource.url().ignoredParametersWarning(java.util.Set.of()).ifPresent(shown::add);
		}
		catch (InvalidResourceUrlException ex) {
			shown.add(ex.getMessage());
			shown.add(ex.getProblem());
			shown.add(ex.getAction());
			FailureAnalysis analysis = new InvalidResourceUrlFailureAnalyzer().analyze(ex, ex);
			shown.add(analysis.getDescription());
			shown.add(String.valueOf(analysis.getAction()));
		}
		return shown;
	}

	@Provide
	Arbitrary<Mutated> urls() {
		Arbitrary<String> passwords = Arbitraries.strings()
			.withChars("abcXYZ0189@:/?#%[],&=+!$;~-._")
			// Eight characters or more, as real passwords and tokens are.
			.ofMinLength(4)
			.ofMaxLength(12)
			// A prefix and suffix of its own, so that finding the password is finding it, not a common word.
			.map((middle) -> "Zq" + middle + "Wv");
		Arbitrary<String[]> templates = Arbitraries.of(TEMPLATES);
		Arbitrary<Boolean> encoded = Arbitraries.of(true, false);
		Arbitrary<Integer> cuts = Arbitraries.integers().between(0, 3);
		Arbitrary<Long> seeds = Arbitraries.longs();
		return Combinators.combine(templates, passwords, encoded, cuts, seeds).as(Mutated::of);
	}

	/**
	 * A URL of a template with its password, encoded or raw, and then mutated.
	 *
	 * @param setting the setting it is given in
	 * @param value the URL
	 * @param password its password, decoded
	 */
	record Mutated(String setting, String value, String password) {

		static Mutated of(String[] template, String password, boolean encoded, int mutations, long seed) {
			String written = encoded ? PercentEncoding.encodeUserInfo(password) : password;
			String value = template[1].replace("PASSWORD", written).replace("HOST", HOST);
			java.util.Random random = new java.util.Random(seed);
			// A token given twice (Postmark's) keeps its user info as written: mutated apart, its first copy is a
			// user name like any other, and shown as one.
			boolean twice = template[1].contains("PASSWORD:PASSWORD");
			for (int i = 0; i < mutations; i++) {
				value = mutate(value, random, twice);
			}
			return new Mutated(template[0], value, password);
		}

		// The host's port too: an '@' in it moves the host, by the grammar, and a ',' lists another.
		private static boolean inPort(String value, int at) {
			int host = value.indexOf("@" + HOST + ":");
			if (host < 0) {
				return false;
			}
			int end = host + HOST.length() + 2;
			while (end < value.length() && Character.isDigit(value.charAt(end))) {
				end++;
			}
			return at >= host && at <= end;
		}

		private static boolean within(String value, String part, int at) {
			for (int start = value.indexOf(part); start >= 0; start = value.indexOf(part, start + 1)) {
				if (at >= start && at <= start + part.length()) {
					return true;
				}
			}
			return false;
		}

		private static String mutate(String value, java.util.Random random, boolean keepUserInfo) {
			// Anywhere but the host, its port and the '@' before it, and the name of a password parameter: a URL
			// whose host was changed names another host, one without that '@' has no user info (its password glued
			// to the host), and a value under another name is no password to any reader.
			int at = random.nextInt(value.length() + 1);
			if (inPort(value, at) || within(value, "@" + HOST, at) || within(value, "password=", at) || within(value, "?password=", at)
					|| (keepUserInfo && at <= value.indexOf("@" + HOST))) {
				return value;
			}
			String delimiters = "@:/?#%[],&=";
			return switch (random.nextInt(3)) {
				// Insert a delimiter, as an unencoded password does.
				case 0 -> value.substring(0, at) + delimiters.charAt(random.nextInt(delimiters.length()))
						+ value.substring(at);
				// Cut a character out, but not a ':': a user info that lost the one before its password has a user
				// name only, which DATABASE_URL shows by design.
				case 1 -> (at < value.length() && value.charAt(at) != ':')
						? value.substring(0, at) + value.substring(at + 1) : value;
				// Double a stretch, as a paste done twice does (none of the host: the URL would name another).
				default -> (value.indexOf(HOST) >= 0 && at / 2 < value.indexOf(HOST) + HOST.length()
						&& at > value.indexOf(HOST)) ? value
								: value.substring(0, at) + value.substring(at / 2, at) + value.substring(at);
			};
		}

	}

}
