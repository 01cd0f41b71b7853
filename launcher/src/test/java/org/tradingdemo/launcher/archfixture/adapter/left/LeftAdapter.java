package org.tradingdemo.launcher.archfixture.adapter.left;

import org.tradingdemo.launcher.archfixture.adapter.right.RightAdapter;

/** A planted violation: one adapter reaching into another. Test code only. */
public class LeftAdapter {
    public String peek(RightAdapter other) {
        return other.toString();
    }
}
