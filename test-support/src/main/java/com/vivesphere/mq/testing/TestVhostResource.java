package com.vivesphere.mq.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives a {@code @QuarkusTest} class a fresh vhost on the local broker, deleted when the class is done. */
public class TestVhostResource implements QuarkusTestResourceLifecycleManager {

    private final BrokerAdmin admin = new BrokerAdmin();
    private String vhost;

    @Override
    public Map<String, String> start() {
        vhost = admin.createVhost();
        return BrokerAdmin.applicationConfig(vhost);
    }

    @Override
    public void stop() {
        if (vhost != null) {
            admin.deleteVhost(vhost);
        }
    }
}
