package org.tradingdemo.adapter.grpc.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tradingdemo.adapter.grpc.metering.Wire.usd;

import java.time.Instant;
import java.util.Currency;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.proto.metering.v1.QuotaState;

class ProtoMappingTest {

    @ParameterizedTest
    @CsvSource({"1500, 1500.00", "1500.5, 1500.50", "0.10, 0.10", "-3.00, -3.00", "007, 7.00", "999999999999999.99, 999999999999999.99"})
    void plainDecimalsParseExactly(String wire, String expected) {
        assertEquals(expected, ProtoMapping.money(usd(wire), "amount").amount().toPlainString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e3", "1E3", "+1", "1.", ".5", "1,5", " 1", "1 ", "NaN", "Infinity", "0x10", "1.001", "1000000000000000.01"})
    void anythingElseIsRefused(String wire) {
        assertThrows(IllegalArgumentException.class, () -> ProtoMapping.money(usd(wire), "amount"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1500", "-3.00", "007", "1.5", "123456789012345678", "1234567890123456789",
            "1.123456789012345678", "1.1234567890123456789", "", "-", "-.5", "1.", ".5", "1..2", "1.2.3", "--1", "1-",
            "+1", "1e3", " 1", "1 ", "١٢", "0.0"})
    void theAmountCheckAcceptsExactlyWhatItsRegexAccepts(String amount) {
        assertEquals(amount.matches("-?[0-9]{1,18}(\\.[0-9]{1,18})?"), ProtoMapping.isPlainDecimal(amount), amount);
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "JPY", "usd", "US", "USDD", "U1D", "", "ÜSD", "[SD", "@SD"})
    void theCurrencyCheckAcceptsExactlyWhatItsRegexAccepts(String code) {
        assertEquals(code.matches("[A-Z]{3}"), ProtoMapping.isCurrencyCode(code), code);
    }

    @Test
    void currenciesKeepTheirMinorUnits() {
        Money yen = ProtoMapping.money(org.tradingdemo.proto.metering.v1.Money.newBuilder().setCurrencyCode("JPY").setAmount("150")
                .build(), "amount");
        assertEquals(Currency.getInstance("JPY"), yen.currency());
        assertEquals("150", ProtoMapping.money(yen).getAmount());
        assertEquals("USD", ProtoMapping.money(Money.usd("0.1")).getCurrencyCode());
        assertEquals("0.10", ProtoMapping.money(Money.usd("0.1")).getAmount());
    }

    @ParameterizedTest
    @CsvSource({
            "0.01, 3.00, 0.33, QUOTA_STATE_HEALTHY",
            "2.39, 3.00, 79.66, QUOTA_STATE_HEALTHY",
            "2.40, 3.00, 80.00, QUOTA_STATE_WARNING",
            "2.99, 3.00, 99.66, QUOTA_STATE_CRITICAL",
            "79.99, 100.00, 79.99, QUOTA_STATE_HEALTHY",
            "799.99, 1000.00, 79.99, QUOTA_STATE_HEALTHY",
            "9.99, 0.01, 99900.00, QUOTA_STATE_EXCEEDED",
    })
    void utilisationIsTruncatedAndTheStateComesFromTheExactRatio(String used, String limit, String percent, QuotaState state) {
        assertEquals(percent, ProtoMapping.utilisationPercent(Money.usd(used), Money.usd(limit)));
        assertEquals(state, ProtoMapping.state(Money.usd(used), Money.usd(limit)));
    }

    @Test
    void timestampsRoundTripAndOutOfRangeOnesAreRefused() {
        Instant at = Instant.parse("2026-03-15T12:00:00.123456789Z");
        assertEquals(at, ProtoMapping.instant(ProtoMapping.timestamp(at), "t"));
        assertThrows(IllegalArgumentException.class, () -> ProtoMapping.instant(
                com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build(), "t"));
        assertThrows(IllegalArgumentException.class, () -> ProtoMapping.instant(
                com.google.protobuf.Timestamp.newBuilder().setNanos(-1).build(), "t"));
    }
}
