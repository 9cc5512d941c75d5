package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Durations;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration flag as people write it ({@code 30s}, {@code 10m}, {@code 26h}, {@code 2d}, {@code PT26H}), the
 * way duration settings are read; a bad one is a usage error naming the flag (exit 2).
 */
public class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return read(value, Durations::parse);
    }

    /** A duration longer than zero. */
    public static final class Positive extends DurationConverter {
        @Override
        public Duration convert(String value) {
            return read(value, Durations::parsePositive);
        }
    }

    private static Duration read(String value, Function<String, Duration> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
