package com.vivesphere.mq.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.vivesphere.mq.runtime.rabbitmq.BrokerConnection;

/**
 * Ready only while connected to RabbitMQ, which implies the topology has been declared. A connection the broker
 * blocks (a memory or disk alarm) stays ready, as consuming goes on, and says so in {@code blocked}.
 */
@Readiness
@ApplicationScoped
public class BrokerReadinessCheck implements HealthCheck {

    private final BrokerConnection broker;

    public BrokerReadinessCheck(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("rabbitmq").withData("broker", broker.describe());
        if (broker.isOpen()) {
            broker.blockedReason().ifPresent(reason -> response.withData("blocked", "publishing blocked by the broker: " + reason));
            return response.up().build();
        }
        return response.down().withData("reason", "not connected, topology not declared: " + broker.lastError()).build();
    }
}
