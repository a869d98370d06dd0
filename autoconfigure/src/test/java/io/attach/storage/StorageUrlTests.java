package io.attach.storage;

import java.net.URI;
import java.nio.file.Path;

import io.attach.core.InvalidResourceUrlException;
import io.attach.core.ResourceUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StorageUrl}: the URLs it takes and the errors it gives.
 *
 * @author attach
 */
class StorageUrlTests {

	private static final String CANARY = "C4n4ry-p4ss";

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			file:///var/data/uploads | /var/data/uploads
			file:///var/data/uploads/ | /var/data/uploads
			file://localhost/var/data | /var/data
			file://LOCALHOST/var/data | /var/data
			file:/var/data | /var/data
			file:///var/my%20files/%C3%A9t%C3%A9 | /var/my files/été
			file:///var//data | /var/data
			file:///srv/a+b | /srv/a+b
			""")
	void whenFileUrlNamesAnAbsoluteDirectoryThenItIsTheRoot(String value, String root) {
		assertThat(of(value)).isEqualTo(new StorageUrl.Local(Path.of(root)));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			file:data/uploads | names a relative path | Give an absolute path
			file://var/data/uploads | names the host 'var' | Write three slashes
			file://files.example.com/data | names the host 'files.example.com' | Write three slashes
			file://localhost:8080/data | names the host 'localhost:8080' | Write three slashes
			file:/// | names no directory | Give the directory
			file:// | names no directory | Give the directory
			file:///var/data?mode=rw | has query parameters | Remove them
			file:///var/data#x | has a fragment | Remove it
			file:///var/%zz | has an invalid percent-encoding in its path | Write '%' as %25
			file:///var/../etc | has a '.' or '..' segment | without '.' or '..'
			file:///var/./data | has a '.' or '..' segment | without '.' or '..'
			file:///var/a%00b | is not valid on this machine | Give an absolute path
			file:data?x=1 | has a query or a fragment | percent-encode
			""")
	void whenFileUrlCannotBeUsedThenTheErrorNamesTheSettingAndTheFix(String value, String problem, String action) {
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> of(value))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("STORAGE_URL");
				assertThat(ex.getMessage()).startsWith("STORAGE_URL (").contains(problem);
				assertThat(ex.getAction()).contains(action);
			});
	}

	@Test
	void whenFileUrlHasUserInfoThenItIsRefusedWithoutShowingIt() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("file://admin:" + CANARY + "@/var/data"))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo("has user info, which a file URL has no use for");
				assertThat(ex.getMessage() + ex.getAction() + ex.getRedactedUrl()).doesNotContain(CANARY);
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			s3://my-uploads | my-uploads | '' | - | - | - | - | -
			s3://my-uploads/ | my-uploads | '' | - | - | - | - | -
			s3://my-uploads/app | my-uploads | app/ | - | - | - | - | -
			s3://my-uploads/app/files/ | my-uploads | app/files/ | - | - | - | - | -
			s3://my-uploads/a%20b/%C3%A9 | my-uploads | a b/é/ | - | - | - | - | -
			s3://my.uploads-2/app?region=eu-west-1 | my.uploads-2 | app/ | eu-west-1 | - | - | - | -
			s3://files?region=auto&endpoint=https://acc.r2.cloudflarestorage.com | files | '' | auto | https://acc.r2.cloudflarestorage.com | - | - | -
			s3://files?endpoint=http://127.0.0.1:9000&path_style=true | files | '' | - | http://127.0.0.1:9000 | true | - | -
			s3://files?endpoint=https%3A%2F%2Fminio.example.com%3A9000&path_style=FALSE | files | '' | - | https://minio.example.com:9000 | false | - | -
			s3://AKIAEXAMPLE:wJalr%2FK7MDENG%2BbPxRfiCY@files/app | files | app/ | - | - | - | AKIAEXAMPLE | wJalr/K7MDENG+bPxRfiCY
			s3://AKIAEXAMPLE:a+b@files | files | '' | - | - | - | AKIAEXAMPLE | a+b
			""")
	void whenS3UrlIsValidThenItsPartsAreRead(String value, String bucket, String prefix, String region,
			String endpoint, Boolean pathStyle, String accessKeyId, String secret) {
		StorageUrl.S3 url = (StorageUrl.S3) of(value);
		assertThat(url.bucket()).isEqualTo(bucket);
		assertThat(url.prefix()).isEqualTo(prefix);
		assertThat(url.region()).isEqualTo(region);
		assertThat(url.endpoint()).isEqualTo((endpoint != null) ? URI.create(endpoint) : null);
		assertThat(url.pathStyle()).isEqualTo(pathStyle);
		assertThat(url.accessKeyId()).isEqualTo(accessKeyId);
		assertThat(url.secretAccessKey()).isEqualTo(secret);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			s3:///app | names no bucket | s3://[accessKeyId:secret@]bucket
			s3:my-uploads | names no bucket | s3://[accessKeyId:secret@]bucket
			s3://a,b | names several buckets | Name one bucket
			s3://my-uploads:9000 | has a port after the bucket name | endpoint parameter
			s3://ab | has the bucket name 'ab', which is not 3 to 63 characters long | 3 to 63 lower-case
			s3://My-Uploads | has the bucket name 'My-Uploads', which has characters other than | 3 to 63 lower-case
			s3://my_uploads | which has characters other than lower-case letters | 3 to 63 lower-case
			s3://-uploads | which does not start and end with a letter or digit | 3 to 63 lower-case
			s3://my..uploads | which has '..', '.-' or '-.' | 3 to 63 lower-case
			s3://192.168.1.10 | which is an IP address | 3 to 63 lower-case
			s3://files//app | has an empty, '.' or '..' segment in its prefix | '/'-separated names
			s3://files/a//b | has an empty, '.' or '..' segment in its prefix | '/'-separated names
			s3://files/a/../b | has an empty, '.' or '..' segment in its prefix | '/'-separated names
			s3://files/a%5Cb | has a '\\' or a control character in its prefix | '/'-separated names
			s3://files/a%zz | has an invalid percent-encoding in its prefix | Write '%' as %25
			s3://files?acl=public-read | has the parameter 'acl', which s3 URLs do not take | region, endpoint and path_style
			s3://files?region=EU_West | has region=EU_West, which is not a region name | eu-west-1
			s3://files?path_style=yes | has path_style=yes, which is neither true nor false | path_style=true
			s3://files?endpoint=minio:9000 | has an endpoint parameter that has no http:// or https:// scheme | https://minio.example.com:9000
			s3://files?endpoint=ftp://minio | has an endpoint parameter that has no http:// or https:// scheme | https://minio.example.com:9000
			s3://files?endpoint=https:///x | has an endpoint parameter that has no host | https://minio.example.com:9000
			s3://files?endpoint=https://minio/?a=b | has an endpoint parameter that has a query or a fragment | https://minio.example.com:9000
			s3://files?endpoint=https://u:p%40minio | has an endpoint parameter that has user info | Remove it
			s3://files?endpoint=https://mi%20nio | has an endpoint parameter that is not a URL | https://minio.example.com:9000
			s3://files#frag | has a fragment | Remove it
			""")
	void whenS3UrlCannotBeUsedThenTheErrorNamesTheSettingAndTheFix(String value, String problem, String action) {
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> of(value))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("STORAGE_URL");
				assertThat(ex.getMessage()).startsWith("STORAGE_URL (").contains(problem);
				assertThat(ex.getAction()).contains(action);
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			s3://C4n4ry-p4ss@files | has user info without ':', an access key or a secret alone
			s3://:C4n4ry-p4ss@files | has a secret but no access key id
			s3://AKIAEXAMPLE:@files | has an access key id but no secret
			""")
	void whenS3UrlHasHalfTheCredentialsThenItIsRefusedWithoutShowingThem(String value, String problem) {
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> of(value))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo(problem);
				assertThat(ex.getAction()).contains("Give both").contains("default credentials chain");
				assertThat(ex.getMessage() + ex.getAction() + ex.getRedactedUrl()).doesNotContain(CANARY);
			});
	}

	@Test
	void whenS3UrlHasASecretThenNeitherTheRecordNorTheRedactedUrlShowsIt() {
		String value = "s3://AKIAEXAMPLE:" + CANARY + "@files/app?endpoint=https://minio:9000";
		assertThat(of(value).toString()).doesNotContain(CANARY).contains("credentials=from URL");
		assertThat(ResourceUrl.of("STORAGE_URL", value).redacted())
			.isEqualTo("s3://AKIAEXAMPLE:****@files/app?endpoint=https://minio:9000");
	}

	@Test
	void whenAnErrorIsAboutAUrlWithASecretThenTheSecretIsNotInIt() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("s3://AKIAEXAMPLE:" + CANARY + "@files?acl=private"))
			.satisfies((ex) -> assertThat(ex.getMessage() + ex.getAction() + ex.getRedactedUrl())
				.doesNotContain(CANARY)
				.contains("AKIAEXAMPLE:****@files"));
	}

	@Test
	void whenPrefixLeavesNoRoomForKeysThenItIsRefused() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("s3://files/" + "a".repeat(StorageKeys.MAX_BYTES)))
			.withMessageContaining("has a prefix of 1024 bytes or more");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			abc | true
			my-uploads.example.com | true
			a-b.c | true
			ab | false
			abc- | false
			a.-b | false
			""")
	void whenBucketNameIsCheckedThenTheSharedRulesApply(String bucket, boolean valid) {
		assertThat(StorageUrl.bucketProblem(bucket) == null).isEqualTo(valid);
	}

	@Test
	void whenSchemeIsNotAStorageSchemeThenTheErrorListsBothForms() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("gs://bucket"))
			.satisfies((ex) -> assertThat(ex.getAction()).contains("file:///").contains("s3://"));
	}

	private static StorageUrl of(String value) {
		return StorageUrl.of(ResourceUrl.of("STORAGE_URL", value));
	}

}
