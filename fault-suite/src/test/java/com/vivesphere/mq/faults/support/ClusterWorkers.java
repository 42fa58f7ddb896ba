package com.vivesphere.mq.faults.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.vivesphere.mq.testing.PackagedApp;
import com.vivesphere.mq.testing.XApiStub;

/** Both workers on a cluster of the test's own, started as the cluster scenarios need them. */
public final class ClusterWorkers {

    /** What a scenario does with the two workers running and ready. */
    @FunctionalInterface
    public interface Scenario {
        void run(PackagedApp logConsumer, PackagedApp botWorker) throws Exception;
    }

    private ClusterWorkers() {
    }

    /**
     * Starts log-consumer first: it declares the topology, and quorum queues get their leader on the declaring
     * client's node, so the node leading the queues is the one log-consumer is connected to. Then bot-action-worker
     * on the X stand-in, with a short lease so that an action a lost connection left behind is taken again soon.
     */
    public static void run(Sandbox sandbox, XApiStub x, Path logs, Duration start, Scenario scenario) throws Exception {
        Map<String, String> botEnv = new HashMap<>(sandbox.env());
        botEnv.putAll(x.env(x.credentialsFile(logs, "refresh-")));
        botEnv.put("BOT_WORKER_ACTION_LEASE", "10s");
        try (PackagedApp logConsumer = PackagedApp.start(PackagedApp.App.LOG_CONSUMER, sandbox.env(), logs.resolve("log-consumer.log"))) {
            logConsumer.awaitReady(start);
            try (PackagedApp botWorker = PackagedApp.start(PackagedApp.App.BOT_ACTION_WORKER, botEnv, logs.resolve("bot-action-worker.log"))) {
                botWorker.awaitReady(start);
                scenario.run(logConsumer, botWorker);
            }
        }
    }
}
