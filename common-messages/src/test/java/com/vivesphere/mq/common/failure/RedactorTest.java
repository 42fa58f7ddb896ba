package com.vivesphere.mq.common.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void masksBearerTokensKeyValuesAndUriPasswords() {
        String text = "401 for Authorization: Bearer abc.DEF-123_x with {\"access_token\":\"s3cr3t\",\"refresh_token\":\"r3fr3sh\"}"
                + " password=hunter2 via amqp://app:pa55@rabbit:5672";
        String redacted = Redactor.redact(text);
        assertThat(redacted).doesNotContain("abc.DEF-123_x", "s3cr3t", "r3fr3sh", "hunter2", "pa55")
                .contains("401 for", "[REDACTED]", "amqp://app:[REDACTED]@rabbit:5672");
    }

    @Test
    void capsLength() {
        assertThat(Redactor.redact("x".repeat(2_000), 100)).hasSize(101);
        assertThat(Redactor.redact(null, 100)).isNull();
    }
}
