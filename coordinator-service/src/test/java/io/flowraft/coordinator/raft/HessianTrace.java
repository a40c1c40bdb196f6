package io.flowraft.coordinator.raft;

import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A class whose deserialization leaves a trace: Hessian builds it through a constructor (counted) and calls its
 * {@code readResolve} (counted). Sent to the Raft port to show that nothing there hands received bytes to Hessian.
 */
public class HessianTrace implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();
    static final AtomicInteger RESOLVED = new AtomicInteger();

    private String note = "built by Hessian";

    public HessianTrace() {
        CONSTRUCTED.incrementAndGet();
    }

    @Serial
    private Object readResolve() {
        RESOLVED.incrementAndGet();
        return this;
    }

    static int traces() {
        return CONSTRUCTED.get() + RESOLVED.get();
    }

    static void reset() {
        CONSTRUCTED.set(0);
        RESOLVED.set(0);
    }

    @Override
    public String toString() {
        return note;
    }
}
