package com.vivesphere.mq.runtime.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * SIGTERM ({@code docker stop}, {@code podman stop}, Kubernetes) is a requested stop, not a failure: the application
 * stops as with the JVM's own handler (consumers drain, connections close, see RabbitMQClientConnector), and the
 * process then exits 0 instead of the JVM's 143, so a stopped container reads "Exited (0)". Only in a packaged
 * application: dev mode and tests keep the JVM's handler.
 */
@ApplicationScoped
public class GracefulTermination {

    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        }
    }
}
