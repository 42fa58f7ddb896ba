package com.vivesphere.mq.testing;

/** What the Quarkus RabbitMQ extension's connector ({@code smallrye-rabbitmq}) looks like from the broker. */
public final class SmallRyeRabbitMQ {

    public static final String CONNECTOR = "smallrye-rabbitmq";

    private SmallRyeRabbitMQ() {
    }

    /** The connector opens a connection per incoming channel and names it so. */
    public static String consumerConnection(String channel) {
        return channel + " (Incoming)";
    }
}
