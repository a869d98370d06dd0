package io.attach.storage;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link S3Upload}'s part sizes.
 *
 * @author attach
 */
class S3UploadTests {

	private static final long EIGHT_MIB = DataSize.ofMegabytes(8).toBytes();

	@Test
	void theFirstThousandPartsHaveTheConfiguredSize() {
		assertThat(S3Upload.partSize(EIGHT_MIB, 1)).isEqualTo(EIGHT_MIB);
		assertThat(S3Upload.partSize(EIGHT_MIB, 1000)).isEqualTo(EIGHT_MIB);
		assertThat(S3Upload.partSize(EIGHT_MIB, 1001)).isEqualTo(2 * EIGHT_MIB);
	}

	@Test
	void tenThousandPartsHoldTheLargestObjectS3Takes() {
		long total = 0;
		for (int part = 1; part <= S3Upload.MAX_PARTS; part++) {
			total += S3Upload.partSize(EIGHT_MIB, part);
		}
		assertThat(total).isGreaterThanOrEqualTo(S3FileStorage.MAX_FILE_SIZE);
	}

	@Test
	void noPartIsLargerThanAnArrayHolds() {
		long largest = S3StorageProperties.MAX_PART_SIZE.toBytes();
		assertThat(S3Upload.partSize(largest, 1)).isEqualTo(largest);
		assertThat((long) S3Upload.partSize(EIGHT_MIB, S3Upload.MAX_PARTS)).isEqualTo(largest);
	}

}
