package com.vivesphere.mq.benchpeer;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.amqp.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;

/**
 * The bench's plain-stack peer: a Spring Boot batch listener on {@code log_queue} storing each batch into
 * {@code log_events} with JDBC, as a team would write it without this project. Connection settings come from
 * the standard Spring Boot environment variables (SPRING_RABBITMQ_*, SPRING_DATASOURCE_*); batch size and
 * prefetch from PEER_BATCH_SIZE (250) and PEER_PREFETCH (1000).
 */
@SpringBootApplication
public class PeerApplication {

    public static void main(String[] args) {
        SpringApplication.run(PeerApplication.class, args);
    }

    @Bean
    SimpleRabbitListenerContainerFactory rabbitListenerContainerFactory(
            SimpleRabbitListenerContainerFactoryConfigurer configurer, ConnectionFactory connectionFactory,
            @Value("${peer.batch-size:250}") int batchSize, @Value("${peer.prefetch:1000}") int prefetch) {
        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setBatchListener(true);
        factory.setConsumerBatchEnabled(true);
        factory.setBatchSize(batchSize);
        factory.setPrefetchCount(prefetch);
        factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        // A partial batch (the end of a backlog, a quiet queue) waits at most this long for the next message.
        factory.setReceiveTimeout(5L);
        return factory;
    }
}
