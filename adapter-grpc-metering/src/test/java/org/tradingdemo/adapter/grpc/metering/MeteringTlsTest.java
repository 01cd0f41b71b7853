package org.tradingdemo.adapter.grpc.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.adapter.grpc.metering.GrpcQuotaClientTest.AGENT;
import static org.tradingdemo.adapter.grpc.metering.GrpcQuotaClientTest.LIMITS;
import static org.tradingdemo.adapter.grpc.metering.GrpcQuotaClientTest.reserve;
import static org.tradingdemo.adapter.grpc.metering.Wire.NOW;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.domain.port.MeteringUnavailableException;
import org.tradingdemo.domain.port.QuotaPort.Granted;

/**
 * TLS over loopback Netty with a self-signed certificate made for the test by the JDK's
 * {@code keytool} (EC P-256, SAN {@code IP:127.0.0.1, DNS:localhost}, valid two days), written out
 * as PEM: no key material is checked in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeteringTlsTest {

    @TempDir
    static Path dir;
    static Pem server;
    static Pem stranger;

    record Pem(Path cert, Path key) {
    }

    @BeforeAll
    static void makeCertificates() throws Exception {
        server = selfSigned("server");
        stranger = selfSigned("stranger");
    }

    static Pem selfSigned(String name) throws IOException, InterruptedException, GeneralSecurityException {
        Path store = dir.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=localhost", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + output);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Certificate cert = ks.getCertificate(name);
        Key key = ks.getKey(name, "changeit".toCharArray());
        Path certPem = dir.resolve(name + "-cert.pem");
        Path keyPem = dir.resolve(name + "-key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded())); // PKCS#8
        return new Pem(certPem, keyPem);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static MeteringGrpcServer tlsServer() {
        return new MeteringGrpcServer(MeteringServerConfig.loopback(0).withTls(server.cert(), server.key()).withApiKey("s3cret"),
                new MeteringBook(new MutableClock(NOW)), List.of()).start();
    }

    @Test
    void theClientTalksTlsToTheServerTrustingItsCa() {
        try (MeteringGrpcServer metering = tlsServer();
             GrpcQuotaClient client = new GrpcQuotaClient(MeteringClientConfig.tls(metering.target(), Optional.of(server.cert()))
                     .withApiKey("s3cret").withDeadline(Duration.ofSeconds(5)))) {
            Granted granted = assertInstanceOf(Granted.class, reserve(client, "12.34", "trade-1"));
            client.complete(granted.reservationId());
            assertEquals(Money.usd("12.34"), client.status(AGENT, LIMITS, UsagePeriod.DAILY).used());
            assertTrue(client.isReady());
        }
    }

    @Test
    void theHostNameLocalhostMatchesToo() {
        try (MeteringGrpcServer metering = tlsServer();
             GrpcQuotaClient client = new GrpcQuotaClient(MeteringClientConfig.tls("dns:///localhost:" + metering.port(),
                     Optional.of(server.cert())).withApiKey("s3cret").withDeadline(Duration.ofSeconds(5)))) {
            assertInstanceOf(Granted.class, reserve(client, "1", "trade-1"));
        }
    }

    @Test
    void anUntrustedServerIsNotTalkedTo() {
        try (MeteringGrpcServer metering = tlsServer();
             GrpcQuotaClient client = new GrpcQuotaClient(MeteringClientConfig.tls(metering.target(), Optional.of(stranger.cert()))
                     .withApiKey("s3cret"))) {
            assertThrows(MeteringUnavailableException.class, () -> reserve(client, "1", "trade-1"));
            assertEquals(0, metering.book().openReservations());
        }
    }

    @Test
    void aPlaintextClientCannotTalkToATlsServer() {
        try (MeteringGrpcServer metering = tlsServer();
             GrpcQuotaClient client = new GrpcQuotaClient(MeteringClientConfig.plaintext(metering.target()).withApiKey("s3cret"))) {
            assertThrows(MeteringUnavailableException.class, () -> reserve(client, "1", "trade-1"));
            assertEquals(0, metering.book().openReservations());
        }
    }
}
