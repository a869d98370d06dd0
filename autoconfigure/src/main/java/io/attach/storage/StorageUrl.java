package io.attach.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.attach.core.HostAndPort;
import io.attach.core.ResourceUrl;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * A {@code STORAGE_URL}: {@code file:///absolute/directory} for the local backend, or
 * {@code s3://[accessKeyId:secret@]bucket[/prefix][?region=…&endpoint=https://…&path_style=true]} for a bucket of
 * any S3-compatible store. Everything it does not take is refused, never ignored, and no error shows the secret.
 *
 * @author attach
 */
sealed interface StorageUrl permits StorageUrl.Local, StorageUrl.S3 {

	/** The form of a file URL, for messages. */
	String FILE_FORM = "file:///absolute/path, such as file:///var/data/uploads";

	/** The form of an S3 URL, for messages. */
	String S3_FORM = "s3://[accessKeyId:secret@]bucket[/prefix][?region=…&endpoint=https://…&path_style=true], "
			+ "such as s3://my-uploads/app?region=eu-west-1";

	/** What to do about a bad bucket name, for messages. */
	String BUCKET_ACTION = "Name the bucket with 3 to 63 lower-case letters, digits, '.' and '-', starting and ending "
			+ "with a letter or digit, such as my-uploads.";

	/**
	 * Parses a storage URL.
	 * @param url the URL, of scheme {@code file} or {@code s3}
	 * @return the local directory or the bucket
	 * @throws io.attach.core.InvalidResourceUrlException if the URL cannot be used, naming its setting
	 */
	static StorageUrl of(ResourceUrl url) {
		return switch (url.scheme()) {
			case "file" -> Local.of(url);
			case "s3" -> S3.of(url);
			default -> throw url.invalid("has the scheme '" + url.scheme() + "', which is not a storage scheme",
					"Use " + FILE_FORM + ", or " + S3_FORM + ".");
		};
	}

	/**
	 * A local directory, from {@code file:///…}.
	 *
	 * @param root the directory, absolute and normalised
	 */
	record Local(Path root) implements StorageUrl {

		private static final Pattern WINDOWS_DRIVE = Pattern.compile("[A-Za-z]:([/\\\\].*)?");

		static Local of(ResourceUrl url) {
			if (url.username() != null || url.password() != null) {
				throw url.invalid("has user info, which a file URL has no use for",
						"Remove it: the local backend needs no credentials. Use " + FILE_FORM + ".");
			}
			if (!url.hosts().isEmpty()) {
				HostAndPort host = url.hosts().get(0);
				if (url.hosts().size() > 1 || host.port() != null || !host.host().equalsIgnoreCase("localhost")) {
					throw url.invalid("names the host '" + host + "', but the local backend reads a directory on "
							+ "this machine", "Write three slashes before an absolute path: " + FILE_FORM
									+ " (with two, as in file://var/data, 'var' is read as a host).");
				}
			}
			String raw = url.path();
			if (url.opaque()) {
				// file:/var/data is absolute too; file:data is not.
				if (raw.indexOf('?') >= 0 || raw.indexOf('#') >= 0) {
					throw url.invalid("has a query or a fragment, which a file URL does not take",
							"Remove it; percent-encode '?' as %3F and '#' as %23 in the path. Use " + FILE_FORM + ".");
				}
				if (!raw.startsWith("/")) {
					throw url.invalid("names a relative path, which would depend on the directory the application "
							+ "starts in", "Give an absolute path: " + FILE_FORM + ".");
				}
				raw = raw.substring(1);
			}
			if (!url.parameters().isEmpty()) {
				throw url.invalid("has query parameters, which a file URL does not take",
						"Remove them; percent-encode '?' as %3F in the path. Use " + FILE_FORM + ".");
			}
			if (url.fragment() != null) {
				throw url.invalid("has a fragment, which a file URL does not take",
						"Remove it; percent-encode '#' as %23 in the path. Use " + FILE_FORM + ".");
			}
			String path = decode(url, raw, "path");
			if (path.isEmpty() || path.equals("/")) {
				throw url.invalid("names no directory", "Give the directory to keep files in: " + FILE_FORM + ".");
			}
			for (String segment : path.split("/")) {
				if (segment.equals(".") || segment.equals("..")) {
					throw url.invalid("has a '.' or '..' segment in its path",
							"Give the directory as it is, without '.' or '..': " + FILE_FORM + ".");
				}
			}
			Path root;
			try {
				root = WINDOWS_DRIVE.matcher(path).matches() ? Path.of(path) : Path.of("/" + path);
			}
			catch (InvalidPathException ex) {
				throw url.invalid("has a path that is not valid on this machine (" + ex.getReason() + ")",
						"Give an absolute path: " + FILE_FORM + ".");
			}
			if (!root.isAbsolute()) {
				throw url.invalid("names a path that is not absolute on this machine",
						"Give an absolute path: " + FILE_FORM + ".");
			}
			return new Local(root.normalize());
		}

	}

	/**
	 * A bucket of an S3-compatible store, from {@code s3://…}. Parameters the URL does not give are {@code null},
	 * for the other settings or the defaults to fill.
	 *
	 * @param bucket the bucket
	 * @param prefix the key prefix inside the bucket, empty or ending with {@code /}
	 * @param region the region, or {@code null}
	 * @param endpoint the endpoint, or {@code null}
	 * @param pathStyle whether to name the bucket in the path, or {@code null} when not given
	 * @param accessKeyId the access key, or {@code null} for the default credentials chain
	 * @param secretAccessKey the secret, or {@code null}
	 */
	record S3(String bucket, String prefix, @Nullable String region, @Nullable URI endpoint,
			@Nullable Boolean pathStyle, @Nullable String accessKeyId,
			@Nullable String secretAccessKey) implements StorageUrl {

		static final String REGION = "region";

		static final String ENDPOINT = "endpoint";

		static final String PATH_STYLE = "path_style";

		private static final Set<String> PARAMETERS = Set.of(REGION, ENDPOINT, PATH_STYLE);

		private static final String CREDENTIALS_ACTION = "Give both, as s3://ACCESS_KEY_ID:SECRET@bucket with '/' in "
				+ "the secret written %2F, or neither, for the AWS default credentials chain.";

		static S3 of(ResourceUrl url) {
			if (url.opaque() || url.hosts().isEmpty()) {
				throw url.invalid("names no bucket", "Use " + S3_FORM + ".");
			}
			if (url.hosts().size() > 1) {
				throw url.invalid("names several buckets", "Name one bucket: " + S3_FORM + ".");
			}
			HostAndPort host = url.hosts().get(0);
			if (host.port() != null) {
				throw url.invalid("has a port after the bucket name",
						"Give the server in the endpoint parameter, such as "
								+ "s3://my-uploads?endpoint=https://minio.example.com:9000.");
			}
			String bucket = host.host();
			String problem = bucketProblem(bucket);
			if (problem != null) {
				throw url.invalid("has the bucket name '" + bucket + "', which " + problem, BUCKET_ACTION);
			}
			String accessKeyId = url.username();
			String secret = url.password();
			if (accessKeyId != null && secret == null) {
				// A lone token: masked as a secret, and not known to be the access key.
				throw url.invalid("has user info without ':', an access key or a secret alone", CREDENTIALS_ACTION);
			}
			if (secret != null && (accessKeyId == null || secret.isEmpty())) {
				throw url.invalid("has " + ((accessKeyId == null) ? "a secret but no access key id"
						: "an access key id but no secret"), CREDENTIALS_ACTION);
			}
			for (ResourceUrl.Parameter parameter : url.parameters()) {
				if (!PARAMETERS.contains(parameter.name())) {
					throw url.invalid("has the parameter '" + parameter.name() + "', which s3 URLs do not take",
							"Use only region, endpoint and path_style: " + S3_FORM + ".");
				}
			}
			if (url.fragment() != null) {
				throw url.invalid("has a fragment", "Remove it; percent-encode '#' in the prefix as %23.");
			}
			String region = url.parameter(REGION);
			if (region != null && !isRegion(region)) {
				throw url.invalid("has region=" + region + ", which is not a region name",
						"Give a region such as eu-west-1, or auto for Cloudflare R2.");
			}
			String endpoint = url.parameter(ENDPOINT);
			return new S3(bucket, prefix(url), region,
					(endpoint != null) ? StorageUrl.endpoint(endpoint, "the endpoint parameter",
							(endpointProblem, action) -> url.invalid("has an endpoint parameter that " + endpointProblem,
									action))
							: null,
					pathStyle(url), accessKeyId, secret);
		}

		private static String prefix(ResourceUrl url) {
			String prefix = decode(url, url.path(), "prefix");
			if (prefix.isEmpty()) {
				return prefix;
			}
			prefix = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
			String action = "Write the prefix as '/'-separated names, such as s3://my-uploads/app/files.";
			for (String segment : prefix.split("/", -1)) {
				if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
					throw url.invalid("has an empty, '.' or '..' segment in its prefix", action);
				}
			}
			if (prefix.chars().anyMatch((c) -> c == '\\' || Character.isISOControl(c))) {
				throw url.invalid("has a '\\' or a control character in its prefix", action);
			}
			if (prefix.getBytes(StandardCharsets.UTF_8).length >= StorageKeys.MAX_BYTES) {
				throw url.invalid("has a prefix of " + StorageKeys.MAX_BYTES + " bytes or more, leaving no room for keys",
						action);
			}
			return prefix + "/";
		}

		private static @Nullable Boolean pathStyle(ResourceUrl url) {
			String value = url.parameter(PATH_STYLE);
			if (value == null) {
				return null;
			}
			if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
				return Boolean.valueOf(value);
			}
			throw url.invalid("has path_style=" + value + ", which is neither true nor false",
					"Use path_style=true to name the bucket in the path (MinIO, S3Proxy), or path_style=false.");
		}

		@Override
		public String toString() {
			// Never the secret, even in a debugger's view.
			return "S3[bucket=" + this.bucket + ", prefix=" + this.prefix + ", region=" + this.region + ", endpoint="
					+ this.endpoint + ", pathStyle=" + this.pathStyle + ", credentials="
					+ ((this.accessKeyId != null) ? "from URL" : "default chain") + "]";
		}

	}

	/**
	 * Checks a bucket name against the rules S3 and the S3-compatible stores share.
	 * @param bucket the name
	 * @return what is wrong, completing "which …", or {@code null} when the name is valid
	 */
	static @Nullable String bucketProblem(String bucket) {
		if (bucket.length() < 3 || bucket.length() > 63) {
			return "is not 3 to 63 characters long";
		}
		if (!bucket.matches("[a-z0-9.-]+")) {
			return "has characters other than lower-case letters, digits, '.' and '-'";
		}
		if (!Character.isLetterOrDigit(bucket.charAt(0)) || !Character.isLetterOrDigit(bucket.charAt(bucket.length() - 1))) {
			return "does not start and end with a letter or digit";
		}
		if (bucket.contains("..") || bucket.contains(".-") || bucket.contains("-.")) {
			return "has '..', '.-' or '-.'";
		}
		if (bucket.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
			return "is an IP address";
		}
		return null;
	}

	/**
	 * Parses an endpoint: an {@code http} or {@code https} URL with a host, without user info, query or fragment.
	 * @param value the endpoint
	 * @param what what holds it, for actions, such as {@code S3_ENDPOINT}
	 * @param invalid makes the exception to throw from a problem, completing "it …", and an action
	 * @return the endpoint
	 */
	static URI endpoint(String value, String what, Invalid invalid) {
		String action = "Set " + what + " to the server's URL, such as https://minio.example.com:9000 (http:// only "
				+ "for a server without TLS).";
		URI uri;
		try {
			uri = new URI(value.trim());
		}
		catch (URISyntaxException ex) {
			throw invalid.of("is not a URL", action);
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		if (!scheme.equals("https") && !scheme.equals("http")) {
			throw invalid.of("has no http:// or https:// scheme", action);
		}
		if (uri.getRawUserInfo() != null) {
			throw invalid.of("has user info", "Remove it from " + what
					+ "; give credentials in STORAGE_URL's user info, or to the AWS default credentials chain.");
		}
		if (uri.getHost() == null || uri.getHost().isEmpty()) {
			throw invalid.of("has no host (or one with a character a host name cannot hold, such as '_')", action);
		}
		if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
			throw invalid.of("has a query or a fragment", action);
		}
		return uri;
	}

	/**
	 * Tells whether a value reads as a region name.
	 * @param region the value
	 * @return whether it is lower-case letters, digits and '-'
	 */
	static boolean isRegion(String region) {
		return region.matches("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");
	}

	private static String decode(ResourceUrl url, String raw, String part) {
		try {
			return StringUtils.uriDecode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw url.invalid("has an invalid percent-encoding in its " + part,
					"Write '%' as %25, and every encoded character as '%' and two hex digits.");
		}
	}

	/**
	 * Makes the exception for a problem with a setting.
	 */
	@FunctionalInterface
	interface Invalid {

		/**
		 * Makes the exception.
		 * @param problem what is wrong
		 * @param action what to do about it
		 * @return the exception to throw
		 */
		RuntimeException of(String problem, String action);

	}

}
