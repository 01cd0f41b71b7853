package org.tradingdemo.domain.model;

public enum Side implements WireName {
    BUY, SELL;

    public static Side parse(String value) {
        return WireName.parse(Side.class, value, "side");
    }
}
