package com.vivesphere.mq.common.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.vivesphere.mq.common.config.BrokerConfig;
import com.vivesphere.mq.common.topology.TopologyBootstrap;

/** Ready only once exchanges and queues exist on the broker. */
@Readiness
@ApplicationScoped
public class TopologyReadinessCheck implements HealthCheck {

    private final TopologyBootstrap bootstrap;
    private final BrokerConfig broker;

    public TopologyReadinessCheck(TopologyBootstrap bootstrap, BrokerConfig broker) {
        this.bootstrap = bootstrap;
        this.broker = broker;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("rabbitmq-topology").withData("broker", broker.describe());
        if (bootstrap.isDeclared()) {
            return response.up().build();
        }
        return response.down().withData("reason", "topology not declared: " + bootstrap.lastError()).build();
    }
}
