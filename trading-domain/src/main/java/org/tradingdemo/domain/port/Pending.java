package org.tradingdemo.domain.port;

/**
 * The answer of a call that has been started and is collected later, on the caller's thread. Lets
 * a use case start two remote calls and then wait once for both (reserve quota and evaluate risk).
 * {@link #await} may finish the call there (retries included) and throws what the plain call would
 * throw. Await once; an answer nobody awaits is simply dropped (only idempotent or side-effect-free
 * calls are started this way).
 *
 * @param <T> the answer
 */
@FunctionalInterface
public interface Pending<T> {

    /** The answer, or the exception the call would have thrown. */
    T await();
}
