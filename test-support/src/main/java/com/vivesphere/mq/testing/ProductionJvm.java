package com.vivesphere.mq.testing;

import java.util.List;

/**
 * The JVM options the production image ({@code src/main/docker/Dockerfile.jvm}) runs a worker with, for the
 * harnesses that start packaged workers as production does (bench, fault suite, ops checks): the heap of
 * the smaller compose memory limit ({@code JAVA_MAX_MEM_RATIO=50} of 384 MiB) and the GC options of the
 * image's {@code run-java.sh}: the collector pinned by {@code GC_CONTAINER_OPTIONS}, then the script's own
 * heap-sizing defaults.
 */
public final class ProductionJvm {

    /** The collector, as {@code GC_CONTAINER_OPTIONS} in the Dockerfile sets it (checked by ops-checks). */
    public static final String GC = "-XX:+UseParallelGC";

    public static final List<String> OPTIONS = List.of("-Xmx192m", GC, "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90");

    private ProductionJvm() {
    }
}
