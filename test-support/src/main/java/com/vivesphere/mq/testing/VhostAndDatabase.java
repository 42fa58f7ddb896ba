package com.vivesphere.mq.testing;

import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A vhost on the local broker and a database on the local PostgreSQL for one test class that runs packaged apps
 * or scripts ({@code @RegisterExtension static final VhostAndDatabase SANDBOX = new VhostAndDatabase();}), made
 * before its {@code @BeforeAll} methods and removed after its {@code @AfterAll} ones. {@code @QuarkusTest}
 * classes get theirs from {@link TestBrokerAndDatabaseResource}.
 */
public final class VhostAndDatabase implements BeforeAllCallback, AfterAllCallback {

    private static final BrokerAdmin ADMIN = new BrokerAdmin();

    private String vhost;
    private String database;

    @Override
    public void beforeAll(ExtensionContext context) {
        vhost = ADMIN.createVhost();
        database = TestDatabase.create();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            ADMIN.deleteVhost(vhost);
        } finally {
            TestDatabase.drop(database);
        }
    }

    public String vhost() {
        return vhost;
    }

    public String database() {
        return database;
    }

    /** The environment of a packaged app pointed at both ({@link AppEnvironment#local}). */
    public Map<String, String> appEnvironment() {
        return AppEnvironment.local(vhost, database);
    }
}
