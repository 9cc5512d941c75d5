package dev.sqlitebackup.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HashWarmUpTest {

    /** {@code head -c 8388608 /dev/zero | sha256sum} */
    private static final String EIGHT_MIB_OF_ZEROS = "2daeb1f36095b44b318410b3f4e8b5d989dcc7bb023d1426c492dab0a3053e74";

    @Test
    void aLargeCopy_warmsTheDigestUpOnAnotherThread_hashingWhatCopiesAreHashedFrom() throws Exception {
        HashWarmUp warmUp = new HashWarmUp(HashWarmUp.WORTH_IT_FROM_BYTES);

        Optional<Future<String>> started = warmUp.beforeCopy(HashWarmUp.WORTH_IT_FROM_BYTES);

        assertThat(started).isPresent();
        assertThat(started.get().get(30, TimeUnit.SECONDS)).isEqualTo(EIGHT_MIB_OF_ZEROS);
    }

    @Test
    void aSmallCopy_paysNothing_andLeavesTheWarmUpForALargeOneLater() {
        HashWarmUp warmUp = new HashWarmUp(HashWarmUp.WORTH_IT_FROM_BYTES);

        assertThat(warmUp.beforeCopy(HashWarmUp.WORTH_IT_FROM_BYTES - 1)).isEmpty();
        assertThat(warmUp.beforeCopy(0)).isEmpty();
        assertThat(warmUp.beforeCopy(1L << 40)).isPresent();
    }

    @Test
    void theDigestIsWarmedUpOnce_howeverManyLargeCopiesFollow() {
        HashWarmUp warmUp = new HashWarmUp(HashWarmUp.WORTH_IT_FROM_BYTES);

        assertThat(warmUp.beforeCopy(1L << 30)).isPresent();
        assertThat(warmUp.beforeCopy(1L << 30)).isEmpty();
        assertThat(warmUp.beforeCopy(4L << 30)).isEmpty();
    }
}
