package dev.sqlitebackup.adapters.ntfy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HumanUnitsTest {

    @Test
    void sizes_inBinaryUnitsWithOneDecimal() {
        assertThat(HumanUnits.size(0)).isEqualTo("0 B");
        assertThat(HumanUnits.size(1023)).isEqualTo("1023 B");
        assertThat(HumanUnits.size(1024)).isEqualTo("1.0 KiB");
        assertThat(HumanUnits.size(Math.round(12.3 * 1024 * 1024))).isEqualTo("12.3 MiB");
        assertThat(HumanUnits.size(1024 * 1024 - 1)).isEqualTo("1.0 MiB");
        assertThat(HumanUnits.size(5L * 1024 * 1024 * 1024)).isEqualTo("5.0 GiB");
        assertThat(HumanUnits.size(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void durations_readable() {
        assertThat(HumanUnits.duration(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(HumanUnits.duration(Duration.ofMillis(4_200))).isEqualTo("4.2 s");
        assertThat(HumanUnits.duration(Duration.ofMillis(59_990))).isEqualTo("1 min 0 s");
        assertThat(HumanUnits.duration(Duration.ofSeconds(192))).isEqualTo("3 min 12 s");
        assertThat(HumanUnits.duration(Duration.ofMinutes(125))).isEqualTo("2 h 5 min");
        assertThat(HumanUnits.duration(Duration.ofHours(76))).isEqualTo("3 d 4 h");
        assertThat(HumanUnits.duration(Duration.ofSeconds(-5))).isEqualTo("0 ms");
    }

    @Test
    void times_inIso8601_inTheGivenZone() {
        Instant t = Instant.parse("2026-07-01T03:00:00.750Z");
        assertThat(HumanUnits.time(t, ZoneOffset.UTC)).isEqualTo("2026-07-01T03:00:00Z");
        assertThat(HumanUnits.time(t, ZoneId.of("Europe/Berlin"))).isEqualTo("2026-07-01T05:00:00+02:00");
    }
}
