package org.tradingdemo.domain.port;

/**
 * The oversight authority refused a closing for a reason the caller can act on - an approver
 * deciding on a trade of their own agent. Not an outage: nothing is retried.
 */
public final class ApprovalRefusedException extends RuntimeException {
    public ApprovalRefusedException(String message) {
        super(message);
    }
}
