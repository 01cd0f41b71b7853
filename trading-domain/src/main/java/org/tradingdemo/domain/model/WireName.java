package org.tradingdemo.domain.model;

import java.util.Locale;

/** Lower-case wire names for the domain's enums ({@code pending_approval}, {@code buy}). */
public interface WireName {

    String name();

    /** The name as it appears in JSON, SQL and logs: lower case. */
    default String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name (case-insensitive) into one of {@code values}. */
    static <E extends Enum<E> & WireName> E parse(Class<E> type, String value, String field) {
        if (value != null) {
            for (E candidate : type.getEnumConstants()) {
                if (candidate.wireName().equalsIgnoreCase(value.trim())) {
                    return candidate;
                }
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E candidate : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(candidate.wireName());
        }
        throw new IllegalArgumentException(field + " must be one of: " + allowed);
    }
}
