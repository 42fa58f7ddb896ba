package com.vivesphere.mq.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.rabbitmq.client.Address;

/**
 * The environment that points a packaged worker (production profile) at a broker vhost and a database of a
 * test's own, as an operator configures one. A test broker has only {@code guest}, which production refuses
 * unless allowed explicitly.
 */
public final class AppEnvironment {

    private AppEnvironment() {
    }

    /** A vhost on the machine's broker ({@link BrokerAdmin}) and a database on its PostgreSQL ({@link TestDatabase}). */
    public static Map<String, String> local(String vhost, String database) {
        return of(List.of(new Address(BrokerAdmin.HOST, BrokerAdmin.PORT)), BrokerAdmin.USERNAME, BrokerAdmin.PASSWORD,
                vhost, database);
    }

    /** One broker node by host and port, several as a cluster address list. */
    public static Map<String, String> of(List<Address> addresses, String username, String password, String vhost,
            String database) {
        Map<String, String> env = new HashMap<>();
        if (addresses.size() == 1) {
            env.put("RABBITMQ_HOST", addresses.get(0).getHost());
            env.put("RABBITMQ_PORT", String.valueOf(addresses.get(0).getPort()));
        } else {
            env.put("RABBITMQ_ADDRESSES",
                    addresses.stream().map(a -> a.getHost() + ":" + a.getPort()).collect(Collectors.joining(",")));
        }
        env.put("RABBITMQ_VHOST", vhost);
        env.put("RABBITMQ_USERNAME", username);
        env.put("RABBITMQ_PASSWORD", password);
        env.put("VIVESPHERE_RABBITMQ_ALLOW_DEFAULT_CREDENTIALS", "true");
        // log-consumer's query API open: the tests that read it run it with tokens (LogQueryApiAccessIT)
        env.put("LOG_CONSUMER_API_ACCESS", "permit");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", TestDatabase.reactiveUrl(database));
        env.put("QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER);
        if (!TestDatabase.PASSWORD.isEmpty()) {
            env.put("QUARKUS_DATASOURCE_PASSWORD", TestDatabase.PASSWORD);
        }
        return env;
    }
}
