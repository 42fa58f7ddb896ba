package com.vivesphere.mq.logconsumer.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.runtime.config.TopologyConfig;
import com.vivesphere.mq.testing.ConfigurationReference;

/** docs/configuration.md documents every setting log-consumer and worker-runtime read, with its default. */
class ConfigurationReferenceTest {

    @Test
    void everySettingIsDocumentedWithItsDefault() {
        assertThat(ConfigurationReference.problems("log-consumer", LogConsumerConfig.class, TopologyConfig.class)).isEmpty();
    }
}
