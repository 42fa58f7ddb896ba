package com.vivesphere.mq.runtime.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.vivesphere.mq.runtime.rabbitmq.BrokerConnection;

/** Ready only while connected to RabbitMQ, which implies the topology has been declared. */
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
            return response.up().build();
        }
        return response.down().withData("reason", "not connected, topology not declared: " + broker.lastError()).build();
    }
}
