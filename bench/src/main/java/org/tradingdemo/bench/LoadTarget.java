package org.tradingdemo.bench;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The server a load run measures: started in this JVM, or one already running. */
interface LoadTarget extends AutoCloseable {

    LoadOptions.URI address();

    /** How the server was reached or started, for the report. */
    String description();

    /** The demo trader's password, or null when unknown. */
    String traderPassword();

    /** The server settings that matter for the figures (limits, quota, store), for the report. */
    Map<String, String> settings();

    /** The server's QUOTA_DAILY_MULTIPLIER when known. */
    default Optional<BigDecimal> quotaDailyMultiplier() {
        return Optional.empty();
    }

    /** True when the server runs in this JVM, so this process's CPU time is server plus clients. */
    default boolean sameJvm() {
        return false;
    }

    @Override
    void close();

    /** A server started elsewhere: nothing is known about its settings. */
    static LoadTarget remote(LoadOptions.URI address, String password) {
        return new LoadTarget() {
            @Override
            public LoadOptions.URI address() {
                return address;
            }

            @Override
            public String description() {
                return "running server at " + address;
            }

            @Override
            public String traderPassword() {
                return password;
            }

            @Override
            public Map<String, String> settings() {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("note", "external server: its rate limits (RATE_LIMIT_*) and quota (QUOTA_DAILY_MULTIPLIER) must "
                        + "allow the load");
                return m;
            }

            @Override
            public void close() {
                // not ours
            }
        };
    }
}
