package com.vivesphere.mq.cli;

import java.util.concurrent.locks.LockSupport;

/** Spaces operations {@code 1/rate} seconds apart from the first one; a rate of 0 never waits. */
public final class Throttle {

    private final double perSecond;
    private final long start = System.nanoTime();
    private long done;

    public Throttle(double perSecond) {
        this.perSecond = perSecond;
    }

    /** Waits until the next operation is due. */
    public void awaitTurn() {
        if (perSecond > 0) {
            long wait = start + (long) (done * 1e9 / perSecond) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        done++;
    }
}
