package com.vivesphere.mq.common.message;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What a bot does on X, and which {@link BotAction} fields each kind needs. */
@RegisterForReflection
public enum BotActionType {
    POST(Needs.TEXT_OR_MEDIA),
    REPLY(Needs.TEXT_AND_POST),
    QUOTE(Needs.TEXT_AND_POST),
    DELETE(Needs.POST),
    LIKE(Needs.POST),
    UNLIKE(Needs.POST),
    REPOST(Needs.POST),
    UNREPOST(Needs.POST),
    FOLLOW(Needs.USER),
    UNFOLLOW(Needs.USER);

    /** The field combinations a type requires; mirrored by the {@code allOf} rules of the JSON Schema. */
    public enum Needs {
        TEXT_OR_MEDIA,
        TEXT_AND_POST,
        POST,
        USER
    }

    private final Needs needs;

    BotActionType(Needs needs) {
        this.needs = needs;
    }

    public Needs needs() {
        return needs;
    }
}
