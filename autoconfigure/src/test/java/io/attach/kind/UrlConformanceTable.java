package io.attach.kind;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.attach.core.AttachedResources;
import io.attach.core.ResourceDeclaration;
import io.attach.core.ResourceUrl;
import org.jspecify.annotations.Nullable;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table of real URLs, one per row with the source it was copied from, and what each must mean to attach: its
 * source's meaning ({@code as-source}), attach's own reading where it differs on purpose ({@code differs}, the note
 * says how and why), or the problem of the error that refuses it ({@code refused: …}). Tab-separated, with a header.
 *
 * @author attach
 */
public final class UrlConformanceTable {

	private static final String REFUSED = "refused: ";

	private UrlConformanceTable() {
	}

	/**
	 * Attaches a URL as an application does, from its setting, with the kind's scheme checks.
	 * @param setting the setting, such as {@code REDIS_URL}
	 * @param value the URL
	 * @return the URL as attached
	 * @throws io.attach.core.InvalidResourceUrlException if it is refused
	 */
	public static ResourceUrl attach(String setting, String value) {
		MockEnvironment environment = new MockEnvironment().withProperty(setting, value);
		return new AttachedResources(ResourceDeclaration.all(environment)).all()
			.stream()
			.filter((resource) -> resource.setting().equals(setting))
			.findFirst()
			.orElseThrow()
			.url();
	}

	/**
	 * Reads a table from the class path.
	 * @param resource the table's resource name
	 * @return its rows
	 */
	public static List<Row> read(String resource) {
		try (InputStream in = Objects.requireNonNull(UrlConformanceTable.class.getResourceAsStream(resource),
				resource)) {
			String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
			List<Row> rows = new ArrayList<>();
			for (int i = 1; i < lines.length; i++) {
				if (!lines[i].isBlank()) {
					String[] cells = lines[i].split("\t", -1);
					if (cells.length != 10) {
						throw new IllegalStateException(resource + " line " + (i + 1) + " has " + cells.length
								+ " cells, not 10");
					}
					rows.add(new Row(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7],
							cells[8], cells[9]));
				}
			}
			return rows;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * What attach made of a URL: its parts, or the problem of the error that refused it.
	 *
	 * @param host the hosts, comma-separated
	 * @param port the ports, comma-separated
	 * @param database the database name or index
	 * @param user the user name
	 * @param password the password
	 * @param tls the TLS mode, in the table's words
	 * @param refusal the problem of the error, or {@code null} when the URL was read
	 */
	public record Reading(@Nullable String host, @Nullable String port, @Nullable String database,
			@Nullable String user, @Nullable String password, @Nullable String tls, @Nullable String refusal) {

		public Reading(@Nullable String host, @Nullable String port, @Nullable String database, @Nullable String user,
				@Nullable String password, @Nullable String tls) {
			this(host, port, database, user, password, tls, null);
		}

		public static Reading refused(String problem) {
			return new Reading(null, null, null, null, null, null, problem);
		}

		public List<String> parts() {
			return List.of(cell(this.host).replace("[", "").replace("]", ""), cell(this.port), cell(this.database),
					cell(this.user), cell(this.password), cell(this.tls));
		}

		private static String cell(@Nullable String value) {
			return (value != null) ? value : "";
		}

	}

	/**
	 * A row: the URL, its source, the meaning attach must give it, and how that relates to the source's.
	 *
	 * @param source where the URL was copied from
	 * @param url the URL, as written there
	 * @param host the hosts, comma-separated
	 * @param port the ports, comma-separated
	 * @param database the database name or index
	 * @param user the user name
	 * @param password the password
	 * @param tls the TLS mode
	 * @param attach {@code as-source}, {@code differs} or {@code refused: } and the error's problem
	 * @param note the source's meaning where attach differs or refuses, and why
	 */
	public record Row(String source, String url, String host, String port, String database, String user,
			String password, String tls, String attach, String note) {

		/**
		 * Checks what attach made of the URL against the row.
		 * @param reading attach's reading
		 */
		public void check(Reading reading) {
			assertThat(this.attach).as("the attach column of %s", this.url)
				.matches("as-source|differs|" + REFUSED + ".+");
			if (this.attach.equals("differs")) {
				assertThat(this.note).as("how and why %s differs", this.url).isNotBlank();
			}
			if (this.attach.startsWith(REFUSED)) {
				assertThat(reading.refusal()).as("the error refusing %s", this.url)
					.isNotNull()
					.contains(this.attach.substring(REFUSED.length()));
				return;
			}
			assertThat(reading.refusal()).as("%s is refused", this.url).isNull();
			assertThat(reading.parts()).as("host, port, database, user, password and TLS of %s (%s)", this.url,
					this.note)
				.containsExactly(this.host.replace("[", "").replace("]", ""), this.port, this.database, this.user,
						this.password, this.tls);
		}

		@Override
		public String toString() {
			return this.url + "  (" + this.source + ")";
		}

	}

}
