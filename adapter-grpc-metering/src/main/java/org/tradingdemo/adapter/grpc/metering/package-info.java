/**
 * Metering over gRPC (creto.metering.v1): {@link org.tradingdemo.adapter.grpc.metering.GrpcQuotaClient},
 * the {@link org.tradingdemo.domain.port.QuotaPort} adapter used against any metering service, and
 * {@link org.tradingdemo.adapter.grpc.metering.MeteringGrpcServer}, the reference server that stands in
 * for creto-metering (embedded by the launcher, or run on its own). Depends on the domain, the
 * generated contracts and gRPC only.
 */
package org.tradingdemo.adapter.grpc.metering;
