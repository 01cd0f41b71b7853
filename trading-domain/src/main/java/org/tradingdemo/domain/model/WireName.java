package org.tradingdemo.domain.model;

import java.util.Locale;

/** Lower-case wire names for the domain's enums ({@code pending_approval}, {@code buy}). */
public interface WireName {

    String name();

    /** The name as it appears in JSON, SQL and logs: lower case. */
    default String wireName() {
        if (this instanceof Enum<?> constant) {
            // computed once per constant: this runs for every field of every response and usage row
            return WireNames.OF.get(constant.getDeclaringClass())[constant.ordinal()];
        }
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

/** The lower-case names of each enum's constants, by ordinal. */
final class WireNames {
    static final ClassValue<String[]> OF = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] names = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                names[i] = ((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT);
            }
            return names;
        }
    };

    private WireNames() {
    }
}
