package org.tradingdemo.adapter.grpc.oversight;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;

/** The shared secret of creto-oversight calls: header {@code x-api-key}. */
final class ApiKeyAuth {

    static final Metadata.Key<String> HEADER = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private ApiKeyAuth() {
    }

    static ClientInterceptor client(String apiKey) {
        Metadata headers = new Metadata();
        headers.put(HEADER, apiKey);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /**
     * Refuses, with UNAUTHENTICATED, every call without the key. Compares SHA-256 digests with
     * {@link MessageDigest#isEqual} (constant time, and the digests hide the key's length).
     */
    static ServerInterceptor server(String apiKey) {
        byte[] expected = sha256(apiKey);
        return new ServerInterceptor() {
            @Override
            public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                         ServerCallHandler<ReqT, RespT> next) {
                String given = headers.get(HEADER);
                if (given == null || !MessageDigest.isEqual(sha256(given), expected)) {
                    call.close(Status.UNAUTHENTICATED.withDescription("missing or invalid x-api-key"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
