package org.tradingdemo.launcher.archfixture.adapter.right;

/** The other side of the planted adapter-to-adapter violation. Test code only. */
public class RightAdapter {
}
