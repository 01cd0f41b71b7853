package org.tradingdemo.launcher.archfixture.domain;

import java.sql.Connection;
import java.time.Instant;

/** A planted violation of every domain rule: SQL, a double amount and a hidden clock. Test code only. */
public class LeakyPosition {
    public double amount;
    private Connection connection;

    public Instant stampedNow() {
        return Instant.now();
    }

    public Connection connection() {
        return connection;
    }
}
