package org.tradingdemo.bench;

import java.io.IOException;

/** PLACEHOLDER until the launcher's TradingServer exists. */
final class InProcessTarget {
    private InProcessTarget() {
    }

    static LoadTarget start(LoadOptions o) throws IOException {
        throw new IOException("TradingServer is not available yet: use --url");
    }
}
