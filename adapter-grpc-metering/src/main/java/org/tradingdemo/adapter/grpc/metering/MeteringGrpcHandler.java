package org.tradingdemo.adapter.grpc.metering;

import static org.tradingdemo.adapter.grpc.metering.ProtoMapping.agentId;
import static org.tradingdemo.adapter.grpc.metering.ProtoMapping.instant;
import static org.tradingdemo.adapter.grpc.metering.ProtoMapping.money;
import static org.tradingdemo.adapter.grpc.metering.ProtoMapping.period;
import static org.tradingdemo.adapter.grpc.metering.ProtoMapping.status;

import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Money;
import org.tradingdemo.domain.model.QuotaLimits;
import org.tradingdemo.domain.model.UsagePeriod;
import org.tradingdemo.proto.metering.v1.CheckQuotaRequest;
import org.tradingdemo.proto.metering.v1.CheckQuotaResponse;
import org.tradingdemo.proto.metering.v1.CompleteUsageRequest;
import org.tradingdemo.proto.metering.v1.CompleteUsageResponse;
import org.tradingdemo.proto.metering.v1.BatchItemError;
import org.tradingdemo.proto.metering.v1.GetQuotaStatusRequest;
import org.tradingdemo.proto.metering.v1.GetQuotaStatusResponse;
import org.tradingdemo.proto.metering.v1.GetUsageRequest;
import org.tradingdemo.proto.metering.v1.GetUsageResponse;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc;
import org.tradingdemo.proto.metering.v1.RecordEventRequest;
import org.tradingdemo.proto.metering.v1.RecordEventResponse;
import org.tradingdemo.proto.metering.v1.TrackUsageRequest;
import org.tradingdemo.proto.metering.v1.TrackUsageResponse;
import org.tradingdemo.proto.metering.v1.UsageBatchItem;
import org.tradingdemo.proto.metering.v1.UsageBatchRequest;
import org.tradingdemo.proto.metering.v1.UsageBatchResponse;
import org.tradingdemo.proto.metering.v1.UsageBatchResult;
import org.tradingdemo.proto.metering.v1.UsageByType;

/**
 * creto.metering.v1.MeteringService over a {@link MeteringBook}: validates each request (a bad one
 * is answered {@code INVALID_ARGUMENT} with a description naming the field), maps it to the book
 * and the answer back to the wire. An unexpected failure is {@code INTERNAL} without details.
 */
final class MeteringGrpcHandler extends MeteringServiceGrpc.MeteringServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(MeteringGrpcHandler.class);
    static final int MAX_KEY_LENGTH = 128;
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MAX_METADATA_ENTRIES = 32;
    private static final int MAX_METADATA_CHARS = 512;

    /** The most items one UsageBatch may carry. */
    static final int MAX_BATCH = 500;

    private final MeteringBook book;

    MeteringGrpcHandler(MeteringBook book) {
        this.book = book;
    }

    @Override
    public void checkQuota(CheckQuotaRequest request, StreamObserver<CheckQuotaResponse> response) {
        answer(response, () -> {
            AgentId agent = agentId(request.getAgentId());
            Money amount = positiveAmount(request.hasAmount(), request.getAmount());
            QuotaLimits limits = limits(request.hasLimits(), request.getLimits());
            MeteringBook.Decision d = book.check(agent, amount, limits);
            return CheckQuotaResponse.newBuilder()
                    .setAllowed(d.allowed())
                    .setStatus(status(agent, d.check(), d.window()))
                    .build();
        });
    }

    @Override
    public void trackUsage(TrackUsageRequest request, StreamObserver<TrackUsageResponse> response) {
        answer(response, () -> track(request));
    }

    @Override
    public void completeUsage(CompleteUsageRequest request, StreamObserver<CompleteUsageResponse> response) {
        answer(response, () -> complete(request));
    }

    /** Each item as its single rpc, one after the other; a failing item fails alone. */
    @Override
    public void usageBatch(UsageBatchRequest request, StreamObserver<UsageBatchResponse> response) {
        answer(response, () -> {
            batchSize(request.getItemsCount());
            UsageBatchResponse.Builder b = UsageBatchResponse.newBuilder();
            for (UsageBatchItem item : request.getItemsList()) {
                UsageBatchResult.Builder r = UsageBatchResult.newBuilder();
                try {
                    switch (item.getOperationCase()) {
                        case TRACK_USAGE -> r.setTrackUsage(track(item.getTrackUsage()));
                        case COMPLETE_USAGE -> r.setCompleteUsage(complete(item.getCompleteUsage()));
                        default -> throw new IllegalArgumentException("item must hold track_usage or complete_usage");
                    }
                } catch (RuntimeException e) {
                    r.setError(itemError(e));
                }
                b.addResults(r);
            }
            return b.build();
        });
    }

    private TrackUsageResponse track(TrackUsageRequest request) {
        AgentId agent = agentId(request.getAgentId());
        Money amount = positiveAmount(request.hasAmount(), request.getAmount());
        QuotaLimits limits = limits(request.hasLimits(), request.getLimits());
        String key = key(request.getIdempotencyKey(), "idempotency_key");
        MeteringBook.Decision d = book.reserve(agent, amount, limits, key);
        TrackUsageResponse.Builder b = TrackUsageResponse.newBuilder()
                .setAllowed(d.allowed())
                .setStatus(status(agent, d.check(), d.window()));
        d.reservationId().ifPresent(b::setReservationId);
        return b.build();
    }

    private CompleteUsageResponse complete(CompleteUsageRequest request) {
        String id = key(request.getReservationId(), "reservation_id");
        boolean commit = switch (request.getOutcome()) {
            case OUTCOME_COMMIT -> true;
            case OUTCOME_RELEASE -> false;
            default -> throw new IllegalArgumentException("outcome must be OUTCOME_COMMIT or OUTCOME_RELEASE");
        };
        CompleteUsageResponse.Result result = switch (book.complete(id, commit)) {
            case COMPLETED -> CompleteUsageResponse.Result.RESULT_COMPLETED;
            case ALREADY_COMPLETED -> CompleteUsageResponse.Result.RESULT_ALREADY_COMPLETED;
            case UNKNOWN_RESERVATION -> CompleteUsageResponse.Result.RESULT_UNKNOWN_RESERVATION;
        };
        return CompleteUsageResponse.newBuilder().setResult(result).build();
    }

    private static void batchSize(int count) {
        if (count == 0) {
            throw new IllegalArgumentException("items must hold at least one item");
        }
        if (count > MAX_BATCH) {
            throw new IllegalArgumentException("items may hold at most " + MAX_BATCH + " items, got " + count);
        }
    }

    /** What a single call would have answered: INVALID_ARGUMENT naming the field, else INTERNAL without details. */
    private static BatchItemError itemError(RuntimeException e) {
        if (e instanceof IllegalArgumentException) {
            return BatchItemError.newBuilder().setCode(Status.Code.INVALID_ARGUMENT.value())
                    .setMessage(String.valueOf(e.getMessage())).build();
        }
        log.error("metering batch item failed", e);
        return BatchItemError.newBuilder().setCode(Status.Code.INTERNAL.value()).setMessage("internal error").build();
    }

    @Override
    public void recordEvent(RecordEventRequest request, StreamObserver<RecordEventResponse> response) {
        answer(response, () -> {
            String eventId = key(request.getEventId(), "event_id");
            AgentId agent = agentId(request.getAgentId());
            String type = request.getType();
            if (type.isEmpty()) {
                throw new IllegalArgumentException("type is required (e.g. \"trade_executed\")");
            }
            if (!EVENT_TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("type may contain only letters, digits and . _ : - (1 to 64 characters)");
            }
            Money amount = request.hasAmount() ? money(request.getAmount(), "amount") : Money.zero(Money.USD);
            if (amount.isNegative()) {
                throw new IllegalArgumentException("amount must not be negative");
            }
            Instant at = request.hasOccurredAt() ? instant(request.getOccurredAt(), "occurred_at") : book.clock().instant();
            if (request.getMetadataCount() > MAX_METADATA_ENTRIES) {
                throw new IllegalArgumentException("metadata may hold at most " + MAX_METADATA_ENTRIES + " entries");
            }
            request.getMetadataMap().forEach((k, v) -> {
                if (k.length() + v.length() > MAX_METADATA_CHARS) {
                    throw new IllegalArgumentException("metadata entry " + k + " is longer than " + MAX_METADATA_CHARS
                            + " characters");
                }
            });
            boolean recorded = book.record(new MeteringBook.Event(eventId, agent, type, amount, at, request.getMetadataMap()));
            return RecordEventResponse.newBuilder()
                    .setResult(recorded ? RecordEventResponse.Result.RESULT_RECORDED : RecordEventResponse.Result.RESULT_DUPLICATE)
                    .build();
        });
    }

    @Override
    public void getUsage(GetUsageRequest request, StreamObserver<GetUsageResponse> response) {
        answer(response, () -> {
            AgentId agent = agentId(request.getAgentId());
            if (!request.hasFrom() || !request.hasTo()) {
                throw new IllegalArgumentException("from and to are required");
            }
            Instant from = instant(request.getFrom(), "from");
            Instant to = instant(request.getTo(), "to");
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("from must be before to");
            }
            GetUsageResponse.Builder b = GetUsageResponse.newBuilder().setAgentId(agent.value());
            for (MeteringBook.TypeTotal t : book.usage(agent, from, to)) {
                b.addByType(UsageByType.newBuilder().setType(t.type()).setCount(t.count()).setAmount(money(t.amount())));
            }
            return b.build();
        });
    }

    @Override
    public void getQuotaStatus(GetQuotaStatusRequest request, StreamObserver<GetQuotaStatusResponse> response) {
        answer(response, () -> {
            AgentId agent = agentId(request.getAgentId());
            UsagePeriod period = period(request.getPeriod());
            // only the limit of the asked period is needed
            boolean daily = period == UsagePeriod.DAILY;
            boolean present = request.hasLimits() && (daily ? request.getLimits().hasDaily() : request.getLimits().hasMonthly());
            String field = daily ? "limits.daily" : "limits.monthly";
            if (!present) {
                throw new IllegalArgumentException(field + " is required");
            }
            Money limit = money(daily ? request.getLimits().getDaily() : request.getLimits().getMonthly(), field);
            if (!limit.isPositive()) {
                throw new IllegalArgumentException(field + " must be greater than 0");
            }
            MeteringBook.Standing s = book.standing(agent, period, limit);
            return GetQuotaStatusResponse.newBuilder().setStatus(status(agent, s.window(), s.used(), s.limit())).build();
        });
    }

    private static Money positiveAmount(boolean present, org.tradingdemo.proto.metering.v1.Money wire) {
        if (!present) {
            throw new IllegalArgumentException("amount is required");
        }
        Money amount = money(wire, "amount");
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("amount must be greater than 0, got " + amount.amount().toPlainString());
        }
        return amount;
    }

    private static QuotaLimits limits(boolean present, org.tradingdemo.proto.metering.v1.QuotaLimits wire) {
        if (!present || !wire.hasDaily() || !wire.hasMonthly()) {
            throw new IllegalArgumentException("limits.daily and limits.monthly are required");
        }
        Money daily = money(wire.getDaily(), "limits.daily");
        Money monthly = money(wire.getMonthly(), "limits.monthly");
        if (!daily.isPositive() || !monthly.isPositive()) {
            throw new IllegalArgumentException("limits.daily and limits.monthly must be greater than 0");
        }
        if (!daily.currency().equals(monthly.currency())) {
            throw new IllegalArgumentException("limits.daily and limits.monthly must be in the same currency");
        }
        return new QuotaLimits(daily, monthly);
    }

    private static String key(String value, String field) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        if (value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_KEY_LENGTH + " characters");
        }
        return value;
    }

    private static <T> void answer(StreamObserver<T> response, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (IllegalArgumentException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            log.error("metering request failed", e);
            response.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
