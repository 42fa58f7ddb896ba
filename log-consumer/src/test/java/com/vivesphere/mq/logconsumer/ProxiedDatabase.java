package com.vivesphere.mq.logconsumer;

import java.util.HashMap;
import java.util.Map;

import com.vivesphere.mq.testing.TcpProxy;
import com.vivesphere.mq.testing.TestBrokerAndDatabaseResource;
import com.vivesphere.mq.testing.TestDatabase;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The test database, reached by the app through a proxy the test can cut and open again. With the init
 * argument {@code listening=false} the proxy does not listen yet when the app starts: a database not there
 * at boot.
 */
public class ProxiedDatabase implements QuarkusTestResourceLifecycleManager {

    static TcpProxy proxy;
    private final TestBrokerAndDatabaseResource resources = new TestBrokerAndDatabaseResource();
    private boolean listening = true;

    @Override
    public void init(Map<String, String> initArgs) {
        listening = Boolean.parseBoolean(initArgs.getOrDefault("listening", "true"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(resources.start());
        proxy = new TcpProxy(TestDatabase.HOST, TestDatabase.PORT);
        if (listening) {
            proxy.start();
        }
        String url = config.get("quarkus.datasource.reactive.url");
        config.put("quarkus.datasource.reactive.url",
                "postgresql://localhost:" + proxy.port() + url.substring(url.lastIndexOf('/')));
        return config;
    }

    @Override
    public void stop() {
        proxy.close();
        resources.stop();
    }
}
