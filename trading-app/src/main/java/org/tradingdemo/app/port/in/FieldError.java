package org.tradingdemo.app.port.in;

/** One invalid input: which field, and what is wrong with it in words a client can act on. */
public record FieldError(String field, String message) {
}
