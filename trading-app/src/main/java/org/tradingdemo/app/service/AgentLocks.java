package org.tradingdemo.app.service;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.tradingdemo.domain.model.AgentId;

/**
 * Per-agent serialisation: every change to one agent's trades and portfolio runs under that
 * agent's lock, so two submissions can never spend the same cash; different agents run in
 * parallel. Lock striping keeps memory bounded however many agents exist (two agents may share a
 * stripe, which only costs a little parallelism). Re-entrant, so a flow may nest.
 */
public final class AgentLocks {

    private final ReentrantLock[] stripes;

    public AgentLocks() {
        this(1024);
    }

    public AgentLocks(int stripes) {
        if (Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two");
        }
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
    }

    public <T> T withLock(AgentId agentId, Supplier<T> work) {
        ReentrantLock lock = stripeOf(agentId);
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private ReentrantLock stripeOf(AgentId agentId) {
        int h = agentId.value().hashCode();
        h ^= (h >>> 16);
        return stripes[h & (stripes.length - 1)];
    }
}
