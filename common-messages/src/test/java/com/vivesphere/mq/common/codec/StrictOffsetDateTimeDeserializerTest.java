package com.vivesphere.mq.common.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The fast path must accept exactly what {@link OffsetDateTime#parse(CharSequence)} accepts, with the same result. */
class StrictOffsetDateTimeDeserializerTest {

    @ParameterizedTest
    @ValueSource(strings = { "2026-11-26T10:15:30Z", "2026-11-26T10:15:30.1Z", "2026-11-26T10:15:30.123456789Z",
            "2026-11-26T10:15:30.120+01:00", "2026-11-26T23:59:59-05:30", "2024-02-29T00:00:00+18:00",
            "2026-11-26T10:15:30-00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-18:00",
            // not the canonical form, still ISO-8601: the formatter's path
            "2026-11-26T10:15Z", "2026-11-26t10:15:30z", "2026-11-26T10:15:30+01:00:00", "+12026-11-26T10:15:30Z",
            "2026-11-26T10:15:30.Z" })
    void acceptsWhatTheFormatterAcceptsWithTheSameValue(String text) {
        assertThat(StrictOffsetDateTimeDeserializer.parse(text)).isEqualTo(OffsetDateTime.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2026-02-30T10:15:30Z", "2026-13-01T10:15:30Z", "2026-11-26T24:00:00Z",
            "2026-11-26T10:60:30Z", "2026-11-26T10:15:60Z", "2026-11-26T10:15:30", "2026-11-26T10:15:30+19:00",
            "2026-11-26T10:15:30+01:60", "2026-11-26T10:15:30.1234567891Z", "2026-11-26T10:15:30+0100",
            "2026-11-26 10:15:30Z", "2026-11-26T10:15:30ZZ", "2026-1a-26T10:15:30Z", "１２３４-11-26T10:15:30Z", "" })
    void refusesWhatTheFormatterRefuses(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> StrictOffsetDateTimeDeserializer.parse(text)).isInstanceOf(DateTimeParseException.class);
    }

    @Test
    void agreesWithTheFormatterOnRandomInstantsOffsetsAndFractions() {
        Random random = new Random(42);
        List<ZoneOffset> offsets = List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHours(-8),
                ZoneOffset.ofHoursMinutes(-3, -45), ZoneOffset.MAX, ZoneOffset.MIN);
        for (int i = 0; i < 20_000; i++) {
            long epochSecond = random.nextLong(-62_000_000_000L, 253_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            OffsetDateTime time = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(epochSecond, nanos),
                    offsets.get(i % offsets.size()));
            String text = time.toString(); // drops zero seconds now and then: the formatter's path then
            assertThat(StrictOffsetDateTimeDeserializer.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text));
        }
    }
}
