package org.tradingdemo.domain.port;

/** New identifiers; injected so tests can predict them. */
public interface IdGenerator {

    /** A new unique id: letters, digits and {@code -}, at most 64 characters. */
    String newId();
}
