package com.vivesphere.mq.common.topology;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exchange or queue exists on the broker with other arguments than the code declares (RabbitMQ's 406
 * PRECONDITION_FAILED). Its message names the object and the argument and says how to fix it.
 */
public class TopologyMismatchException extends RuntimeException {

    private static final Pattern INEQUIVALENT_ARG = Pattern.compile("inequivalent arg '([^']+)'");

    private final String objectName;
    private final String argument;

    public TopologyMismatchException(String kind, String objectName, String brokerReply) {
        super(message(kind, objectName, argumentIn(brokerReply), brokerReply));
        this.objectName = objectName;
        this.argument = argumentIn(brokerReply);
    }

    private TopologyMismatchException(String message, String objectName, String setting, boolean explained) {
        super(message);
        this.objectName = objectName;
        this.argument = setting;
    }

    /** A mismatch the broker does not report itself, of {@code objectName} against {@code setting}. */
    public static TopologyMismatchException explained(String objectName, String setting, String message) {
        return new TopologyMismatchException(message, objectName, setting, true);
    }

    public String objectName() {
        return objectName;
    }

    public String argument() {
        return argument;
    }

    private static String argumentIn(String brokerReply) {
        Matcher matcher = INEQUIVALENT_ARG.matcher(brokerReply == null ? "" : brokerReply);
        return matcher.find() ? matcher.group(1) : "unknown";
    }

    private static String message(String kind, String name, String argument, String brokerReply) {
        return kind + " '" + name + "' already exists on the broker with a different '" + argument + "' than this "
                + "application declares (broker said: " + brokerReply + "). RabbitMQ cannot change the arguments of an "
                + "existing " + kind + ". Fix it by either (a) setting the VIVESPHERE_TOPOLOGY_* variables to match the "
                + "existing " + kind + ", or (b) moving its messages away (e.g. a shovel), deleting it "
                + "(rabbitmqctl delete_" + kind + " " + name + ") and restarting, so it is declared anew.";
    }
}
