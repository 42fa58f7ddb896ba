package com.vivesphere.mq.botworker.listener;

/** Reactive Messaging channel names of bot-action-worker; configured in application.properties, used by tests. */
public final class Channels {

    /** {@code bot_action_queue}. */
    public static final String BOT_ACTIONS = "bot-actions";

    private Channels() {
    }
}
