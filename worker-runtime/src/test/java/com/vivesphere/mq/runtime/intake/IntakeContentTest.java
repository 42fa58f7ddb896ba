package com.vivesphere.mq.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which content types and encodings the intake takes as JSON. */
class IntakeContentTest {

    @ParameterizedTest
    @CsvSource({ "application/json,true", "Application/JSON,true", "application/json; charset=utf-8,true",
            "text/json,true", "application/vnd.vivesphere+json,true", "'',true", "text/plain,false",
            "application/octet-stream,false", "application/xml,false" })
    void contentTypes(String contentType, boolean json) {
        assertThat(Intake.isJson(contentType)).isEqualTo(json);
    }

    @ParameterizedTest
    @CsvSource({ "utf-8,true", "UTF8,true", "identity,true", "gzip,false", "deflate,false" })
    void contentEncodings(String encoding, boolean plain) {
        assertThat(Intake.isPlainEncoding(encoding)).isEqualTo(plain);
    }
}
