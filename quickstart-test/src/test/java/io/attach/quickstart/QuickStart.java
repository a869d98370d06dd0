package io.attach.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blocks of README.md's Quick start that make a new application, each found by the
 * {@code <!-- quickstart:… -->} comment on the line before its fence.
 *
 * @author attach
 */
final class QuickStart {

	static final String HEADING = "## Quick start";

	private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*quickstart:(\\S+)(?:\\s+(\\S+))?\\s*-->\\s*$");

	private static final Pattern FENCE = Pattern.compile("^(\\s*)```.*$");

	private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\\S*)");

	private static final Pattern LOCALHOST = Pattern.compile("(?:http://)?localhost:(\\d+)(/\\S*)");

	private final Map<String, String> files;

	private final Map<String, String> blocks;

	private QuickStart(Map<String, String> files, Map<String, String> blocks) {
		this.files = files;
		this.blocks = blocks;
	}

	static QuickStart read(Path readme) {
		try {
			return parse(Files.readString(readme));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Reading " + readme + " failed", ex);
		}
	}

	static QuickStart parse(String readme) {
		List<String> lines = section(readme);
		Map<String, String> files = new LinkedHashMap<>();
		Map<String, String> blocks = new LinkedHashMap<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher marker = MARKER.matcher(lines.get(i));
			if (!marker.matches()) {
				continue;
			}
			String kind = marker.group(1);
			String name = marker.group(2);
			String label = "<!-- quickstart:" + kind + ((name != null) ? " " + name : "") + " -->";
			int fence = i + 1;
			while (fence < lines.size() && lines.get(fence).isBlank()) {
				fence++;
			}
			Matcher opening = (fence < lines.size()) ? FENCE.matcher(lines.get(fence)) : null;
			if (opening == null || !opening.matches()) {
				throw new AssertionError("README.md's Quick start has " + label + " without a fenced code block after it.");
			}
			String indent = opening.group(1);
			StringBuilder content = new StringBuilder();
			int line = fence + 1;
			while (line < lines.size() && !lines.get(line).strip().startsWith("```")) {
				String text = lines.get(line);
				content.append(text.startsWith(indent) ? text.substring(indent.length()) : text.strip()).append('\n');
				line++;
			}
			if (line == lines.size()) {
				throw new AssertionError("README.md's Quick start: the code block after " + label + " is not closed.");
			}
			Map<String, String> target = "file".equals(kind) ? files : blocks;
			String key = "file".equals(kind) ? name : kind;
			if (key == null) {
				throw new AssertionError("README.md's Quick start has " + label + " without a file name.");
			}
			if (target.put(key, content.toString()) != null) {
				throw new AssertionError("README.md's Quick start has " + label + " twice.");
			}
			i = line;
		}
		if (!files.containsKey("pom.xml")) {
			throw missing("file pom.xml", "the new application's pom.xml");
		}
		if (files.keySet().stream().noneMatch((file) -> file.endsWith(".java"))) {
			throw missing("file src/main/java/…/Application.java", "the new application's main class");
		}
		return new QuickStart(files, blocks);
	}

	private static List<String> section(String readme) {
		List<String> lines = readme.lines().toList();
		int start = lines.indexOf(HEADING);
		if (start < 0) {
			throw new AssertionError("README.md has no '" + HEADING + "' section.");
		}
		List<String> section = new ArrayList<>();
		for (String line : lines.subList(start + 1, lines.size())) {
			if (line.startsWith("## ")) {
				break;
			}
			section.add(line);
		}
		return section;
	}

	private static AssertionError missing(String marker, String what) {
		return new AssertionError("README.md's Quick start has no block marked <!-- quickstart:" + marker
				+ " --> (" + what + "): put the comment on the line before the block's opening fence.");
	}

	/**
	 * Returns the files of the new application.
	 * @return the content of each file by its path in the project
	 */
	Map<String, String> files() {
		return this.files;
	}

	/**
	 * Returns the arguments of the {@code mvn} command of the run block.
	 * @return the arguments, without {@code mvn}
	 */
	List<String> mavenArguments() {
		String command = runLine("mvn ");
		List<String> arguments = List.of(command.split("\\s+"));
		return arguments.subList(1, arguments.size());
	}

	/**
	 * Returns the jar that the run block starts with {@code java -jar}.
	 * @return the jar's path in the project
	 */
	String jar() {
		List<String> words = List.of(javaLine().split("\\s+"));
		int jar = words.indexOf("-jar");
		if (jar < 0 || jar + 1 >= words.size()) {
			throw new AssertionError("README.md's Quick start: the run block's java command has no '-jar <file>'.");
		}
		return words.get(jar + 1);
	}

	/**
	 * Returns the environment variables set before {@code java -jar} in the run block.
	 * @return each variable's value by its name
	 */
	Map<String, String> environment() {
		Map<String, String> environment = new LinkedHashMap<>();
		for (String word : javaLine().split("\\s+")) {
			Matcher assignment = ASSIGNMENT.matcher(word);
			if (!assignment.matches()) {
				break;
			}
			environment.put(assignment.group(1), assignment.group(2));
		}
		return environment;
	}

	/**
	 * Returns the log line the Quick start says the application writes.
	 * @return the line
	 */
	String logLine() {
		List<String> lines = block("log", "the log line the application writes").lines()
			.filter((line) -> !line.isBlank())
			.toList();
		if (lines.size() != 1) {
			throw new AssertionError("README.md's Quick start: the block marked <!-- quickstart:log --> should hold one"
					+ " line, not " + lines.size() + ".");
		}
		return lines.get(0).strip();
	}

	/**
	 * Returns the requests of the probes block ({@code $ curl … localhost:8080/path}) and the answer shown after each.
	 * @return each answer by the path requested
	 */
	Map<String, String> probes() {
		Map<String, String> probes = new LinkedHashMap<>();
		String path = null;
		StringBuilder answer = new StringBuilder();
		for (String line : block("probes", "the curl requests and their answers").lines().toList()) {
			if (line.startsWith("$ ")) {
				if (path != null) {
					probes.put(path, answer.toString());
				}
				Matcher url = LOCALHOST.matcher(line);
				if (!line.startsWith("$ curl ") || !url.find()) {
					throw new AssertionError("README.md's Quick start: '" + line + "' in the probes block is not a"
							+ " 'curl' of a localhost URL.");
				}
				path = url.group(2);
				answer.setLength(0);
			}
			else if (path == null) {
				throw new AssertionError("README.md's Quick start: the probes block should start with '$ curl …'.");
			}
			else {
				answer.append(line).append('\n');
			}
		}
		if (path != null) {
			probes.put(path, answer.toString());
		}
		return probes;
	}

	private String runLine(String start) {
		return block("run", "the commands that build and start the application").lines()
			.map(String::strip)
			.filter((line) -> line.startsWith(start) || line.contains(" " + start))
			.findFirst()
			.orElseThrow(() -> new AssertionError("README.md's Quick start: the block marked <!-- quickstart:run -->"
					+ " has no '" + start.strip() + "' command."));
	}

	private String javaLine() {
		return runLine("java ");
	}

	private String block(String name, String what) {
		String block = this.blocks.get(name);
		if (block == null) {
			throw missing(name, what);
		}
		return block;
	}

}
