package com.vivesphere.mq.cli;

import java.time.Duration;

import com.vivesphere.mq.common.topology.QueueType;
import com.vivesphere.mq.common.topology.Topology;
import com.vivesphere.mq.common.topology.TopologySettings;

import picocli.CommandLine.Option;

/** The topology settings, from the apps' environment variables ({@code VIVESPHERE_TOPOLOGY_*}) or options. */
public class TopologyOptions {

    @Option(names = "--queue-type", defaultValue = "${env:VIVESPHERE_TOPOLOGY_QUEUE_TYPE:-quorum}",
            converter = QueueTypeConverter.class, paramLabel = "quorum|classic",
            description = "Type of every queue (env VIVESPHERE_TOPOLOGY_QUEUE_TYPE; default ${DEFAULT-VALUE}).")
    QueueType queueType;

    @Option(names = "--message-ttl", defaultValue = "${env:VIVESPHERE_TOPOLOGY_MESSAGE_TTL:-7d}",
            converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Work queue message TTL (env VIVESPHERE_TOPOLOGY_MESSAGE_TTL; default ${DEFAULT-VALUE}).")
    Duration messageTtl;

    @Option(names = "--dead-letter-ttl", defaultValue = "${env:VIVESPHERE_TOPOLOGY_DEAD_LETTER_TTL:-14d}",
            converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Dead letter TTL (env VIVESPHERE_TOPOLOGY_DEAD_LETTER_TTL; default ${DEFAULT-VALUE}).")
    Duration deadLetterTtl;

    @Option(names = "--dead-letter-max-bytes", defaultValue = "${env:VIVESPHERE_TOPOLOGY_DEAD_LETTER_MAX_BYTES:-1073741824}",
            paramLabel = "BYTES",
            description = "Dead letters kept, in bytes (env VIVESPHERE_TOPOLOGY_DEAD_LETTER_MAX_BYTES; default ${DEFAULT-VALUE}).")
    long deadLetterMaxBytes;

    @Option(names = "--log-shards", defaultValue = "${env:VIVESPHERE_TOPOLOGY_LOG_SHARDS:-1}", paramLabel = "N",
            description = "Queues log_queue's events are spread over; above 1: log_queue.0 ... (env VIVESPHERE_TOPOLOGY_LOG_SHARDS; "
                    + "default ${DEFAULT-VALUE}).")
    int logShards;

    public Topology topology() {
        return Topology.standard(new TopologySettings(queueType, messageTtl, deadLetterTtl, deadLetterMaxBytes, logShards));
    }

    public static class QueueTypeConverter extends EnumConverter<QueueType> {
        public QueueTypeConverter() {
            super(QueueType.class);
        }
    }
}
