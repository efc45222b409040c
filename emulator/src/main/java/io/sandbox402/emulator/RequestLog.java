package io.sandbox402.emulator;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The emulator's memory of what it answered, bounded: the last {@code limit} requests and payments (older
 * ones are dropped, oldest first) and exact counters since start. Unbounded, a long-running emulator kept
 * 112 MiB after 100,000 requests.
 */
final class RequestLog {
    private final int limit;
    private final ArrayDeque<EmulatorRequest> requests = new ArrayDeque<>();
    private final ArrayDeque<EmulatorPayment> payments = new ArrayDeque<>();
    private long requestCount;
    private long paymentCount;
    private long settledCount;

    RequestLog(int limit) {
        this.limit = limit;
    }

    synchronized void add(EmulatorRequest request) {
        requestCount++;
        if (requests.size() == limit) {
            requests.removeFirst();
        }
        requests.addLast(request);
    }

    synchronized void add(EmulatorPayment payment) {
        paymentCount++;
        if (payment.settled()) {
            settledCount++;
        }
        if (payments.size() == limit) {
            payments.removeFirst();
        }
        payments.addLast(payment);
    }

    synchronized List<EmulatorRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized List<EmulatorPayment> payments() {
        return List.copyOf(payments);
    }

    synchronized long requestCount() {
        return requestCount;
    }

    synchronized long paymentCount() {
        return paymentCount;
    }

    synchronized long settledCount() {
        return settledCount;
    }
}
