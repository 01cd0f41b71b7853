package org.tradingdemo.proto.transport;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

/**
 * One Netty event loop thread for every gRPC server and client channel of this process (epoll where
 * the native transport loads, else NIO), instead of gRPC's default group of two threads per core.
 *
 * <p>Why: the embedded metering and oversight servers talk to their clients over loopback in the
 * same JVM. With both ends of a connection on the same thread, a batch written by the client is read
 * by the server in the same loop, and its answer back, without waking another thread each way; under
 * the HTTP trade benchmark that cut the transport's CPU per trade by about a third. The handlers on
 * the loop never block (the servers' handlers take short locks; the clients' callbacks complete
 * futures), and batching makes the work per trade small, so one thread keeps up.
 *
 * <p>Reference-counted: each server or channel {@link #acquire acquires} it when built and releases
 * it after it has terminated; the thread stops when the last user is gone and a new one is started by
 * the next acquirer.
 */
public final class SharedEventLoop {

    private static final Object LOCK = new Object();
    private static EventLoopGroup group;
    private static int users;

    private final EventLoopGroup acquired;
    private boolean released;

    private SharedEventLoop(EventLoopGroup acquired) {
        this.acquired = acquired;
    }

    /** A handle on the shared loop; {@link #release()} it once the server or channel using it has terminated. */
    public static SharedEventLoop acquire() {
        synchronized (LOCK) {
            if (group == null) {
                ThreadFactory threads = new DefaultThreadFactory("grpc-shared-event-loop", true);
                group = new MultiThreadIoEventLoopGroup(1, threads,
                        Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            }
            users++;
            return new SharedEventLoop(group);
        }
    }

    /** The client side of {@code builder} on the shared loop. */
    public NettyChannelBuilder configure(NettyChannelBuilder builder) {
        return builder.eventLoopGroup(acquired)
                .channelType(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class);
    }

    /** Accepting and serving of {@code builder} on the shared loop. */
    public NettyServerBuilder configure(NettyServerBuilder builder) {
        return builder.bossEventLoopGroup(acquired).workerEventLoopGroup(acquired)
                .channelType(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    }

    /** Gives the loop back; the last release stops its thread. Idempotent per handle. */
    public void release() {
        EventLoopGroup stop = null;
        synchronized (LOCK) {
            if (released) {
                return;
            }
            released = true;
            if (--users == 0 && group == acquired) {
                stop = group;
                group = null;
            }
        }
        if (stop != null) {
            stop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** How many servers and channels hold the loop (tests). */
    static int users() {
        synchronized (LOCK) {
            return users;
        }
    }
}
