/**
 * Oversight over gRPC ({@code creto.oversight.v1}): the driven adapter {@link
 * org.tradingdemo.adapter.grpc.oversight.GrpcApprovalClient} of {@code ApprovalPort}, the driving adapter
 * {@link org.tradingdemo.adapter.grpc.oversight.OversightDecisionListener} that applies the authority's
 * decisions through {@code DecideOversightRequestUseCase}, and the reference server standing in for
 * creto-oversight ({@link org.tradingdemo.adapter.grpc.oversight.OversightGrpcServer} over an
 * {@link org.tradingdemo.adapter.grpc.oversight.OversightAuthority}).
 */
package org.tradingdemo.adapter.grpc.oversight;
