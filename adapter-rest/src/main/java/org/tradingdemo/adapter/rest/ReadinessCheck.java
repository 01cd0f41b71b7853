package org.tradingdemo.adapter.rest;

/** One dependency {@code /ready} asks about (the store, metering, oversight). */
public interface ReadinessCheck {

    /** Short stable name shown in the response ({@code store}, {@code metering}). */
    String name();

    /** True when the dependency answers now. Must return quickly and never throw. */
    boolean isReady();

    static ReadinessCheck of(String name, java.util.function.BooleanSupplier check) {
        return new ReadinessCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean isReady() {
                try {
                    return check.getAsBoolean();
                } catch (RuntimeException e) {
                    return false;
                }
            }
        };
    }
}
