package dev.sqlitebackup.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPlanTest {

    @Test
    void theDefault_isThreeAttempts_oneThenTwoMinutesApart() {
        RetryPlan plan = RetryPlan.DEFAULT;

        assertThat(plan.delayAfter(1)).contains(Duration.ofMinutes(1));
        assertThat(plan.delayAfter(2)).contains(Duration.ofMinutes(2));
        assertThat(plan.delayAfter(3)).as("the third attempt was the last").isEmpty();
    }

    @Test
    void delaysDouble_fromTheFirstDelay() {
        RetryPlan plan = new RetryPlan(5, Duration.ofSeconds(30));

        assertThat(plan.delayAfter(1)).contains(Duration.ofSeconds(30));
        assertThat(plan.delayAfter(2)).contains(Duration.ofSeconds(60));
        assertThat(plan.delayAfter(3)).contains(Duration.ofSeconds(120));
        assertThat(plan.delayAfter(4)).contains(Duration.ofSeconds(240));
        assertThat(plan.delayAfter(5)).isEmpty();
    }

    @Test
    void oneAttempt_meansNoRetry() {
        assertThat(new RetryPlan(1, Duration.ofMinutes(1)).delayAfter(1)).isEmpty();
    }

    @Test
    void aHugeNumberOfAttempts_neverWaitsMoreThanADay() {
        RetryPlan plan = new RetryPlan(Integer.MAX_VALUE, Duration.ofMinutes(1));

        assertThat(plan.delayAfter(40)).contains(Duration.ofDays(1));
        assertThat(plan.delayAfter(Integer.MAX_VALUE - 1)).contains(Duration.ofDays(1));
    }

    @Test
    void invalidPlans_cannotExist() {
        assertThatThrownBy(() -> new RetryPlan(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPlan(3, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPlan(3, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPlan.DEFAULT.delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatTheUserMustFix_isNotRetried_whatMayPass_is() {
        assertThat(RetryPlan.worthRetrying(new InvalidInputException("database /x.db does not exist"))).isFalse();
        assertThat(RetryPlan.worthRetrying(new BackupFailedException("no space left on device"))).isTrue();
        assertThat(RetryPlan.worthRetrying(new BackupInProgressException("another backup is running"))).isTrue();
        assertThat(RetryPlan.worthRetrying(new OffsiteCopyFailedException("Drive upload failed", null, null)))
                .isTrue();
        assertThat(RetryPlan.worthRetrying(new IllegalStateException("unexpected"))).isTrue();
    }
}
