package com.vivesphere.mq.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fresh vhost and a fresh database for a {@code @QuarkusTest} class, both removed when it is done. */
public class TestBrokerAndDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private final TestVhostResource vhost = new TestVhostResource();
    private String database;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(vhost.start());
        database = TestDatabase.create();
        config.put("quarkus.datasource.reactive.url", TestDatabase.reactiveUrl(database));
        config.put("quarkus.datasource.username", TestDatabase.USER);
        if (!TestDatabase.PASSWORD.isEmpty()) {
            config.put("quarkus.datasource.password", TestDatabase.PASSWORD);
        }
        return config;
    }

    @Override
    public void stop() {
        vhost.stop();
        if (database != null) {
            TestDatabase.drop(database);
        }
    }
}
