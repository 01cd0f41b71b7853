package org.tradingdemo.launcher;

/**
 * A setting is missing, malformed or out of range, or the service cannot start with it. The
 * message is one line that names the setting as the operator wrote it ({@code APPROVAL_TTL} or
 * {@code --approval-ttl}); {@link Main} prints it as {@code error: <message>} and exits with 2.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
