package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration flag as people write it ({@code 30s}, {@code 10m}, {@code 26h}, {@code 2d}, {@code PT26H}), the
 * way duration settings are read; a bad one is a usage error naming the flag (exit 2).
 */
public class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** A duration longer than zero. */
    public static final class Positive extends DurationConverter {
        @Override
        public Duration convert(String value) {
            Duration d = super.convert(value);
            if (d.isNegative() || d.isZero()) {
                throw new TypeConversionException("must be longer than zero, got '" + value + "'");
            }
            return d;
        }
    }
}
