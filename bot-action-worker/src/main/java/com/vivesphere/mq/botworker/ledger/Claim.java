package com.vivesphere.mq.botworker.ledger;

import java.time.Instant;

/**
 * What the ledger says about an action this worker is about to execute.
 *
 * @param kind what to do
 * @param attempts calls of X made for the action, this one included when {@code kind} is {@link Kind#EXECUTE}
 * @param outcomeUnknown an earlier request was sent and its answer never came: reconcile before calling again
 * @param externalId the id X gave the post, for an action that already succeeded
 * @param since when the action was first taken (bounds the search for a post with an unknown outcome)
 */
public record Claim(Kind kind, int attempts, boolean outcomeUnknown, String externalId, Instant since) {

    public enum Kind {
        /** This worker holds the action now: execute it. */
        EXECUTE,
        /** Done before: do not call X again. */
        ALREADY_SUCCEEDED,
        /** Another worker holds it (a duplicate delivery in flight): try again later. */
        HELD_ELSEWHERE
    }
}
