package com.vivesphere.mq.runtime.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

class ConsumerTimeoutTest {

    /** The reply text of RabbitMQ 3.10's consumer_timeout, as it closed a channel of the fault suite's broker node. */
    private static final String TIMED_OUT = "PRECONDITION_FAILED - delivery acknowledgement on channel 4 timed out. "
            + "Timeout value used: 5000 ms. This timeout value can be configured, see consumers doc guide to learn more";

    private static ShutdownSignalException channelClosed(int code, String text) {
        AMQP.Channel.Close close = new AMQP.Channel.Close.Builder().replyCode(code).replyText(text).build();
        return new ShutdownSignalException(false, false, close, null);
    }

    @Test
    void theCloseOfTheConsumerTimeoutIsRecognisedAndDescribedInTheBrokersWords() {
        ShutdownSignalException signal = channelClosed(406, TIMED_OUT);

        assertThat(ConsumerTimeout.closed(signal)).isTrue();
        assertThat(ConsumerTimeout.describe(signal))
                .isEqualTo("delivery acknowledgement on channel 4 timed out. Timeout value used: 5000 ms");
    }

    @Test
    void otherChannelErrorsAreNotTakenForIt() {
        assertThat(ConsumerTimeout.closed(channelClosed(406, "PRECONDITION_FAILED - unknown delivery tag 7"))).isFalse();
        assertThat(ConsumerTimeout.closed(channelClosed(404, "NOT_FOUND - no queue 'log_queue' in vhost '/'"))).isFalse();
        assertThat(ConsumerTimeout.closed(new ShutdownSignalException(true, false,
                new AMQP.Connection.Close.Builder().replyCode(320).replyText("CONNECTION_FORCED").build(), null))).isFalse();
    }
}
