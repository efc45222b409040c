package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.LedgerEntry;
import java.util.List;
import java.util.Locale;

/** Payments as JSON, for {@code --json} outputs. */
final class Payments {
    private Payments() {}

    static ArrayNode json(List<LedgerEntry> entries) {
        ArrayNode payments = JsonNodeFactory.instance.arrayNode();
        for (LedgerEntry entry : entries) {
            ObjectNode payment = payments.addObject();
            payment.put("url", entry.url());
            payment.put("amount", entry.amount().toString());
            payment.put("usd", entry.usd());
            payment.put("network", entry.network() == null ? null : entry.network().caip2());
            payment.put("pay_to", entry.payTo());
            payment.put("outcome", entry.outcome().name().toLowerCase(Locale.ROOT));
            payment.put("transaction", entry.transaction());
        }
        return payments;
    }

    /** {@code cost_usd} and {@code payments} of one snapshot, so the total is always the sum of the list. */
    static void put(ObjectNode out, SandboxSetup setup) {
        List<LedgerEntry> entries = setup == null ? List.of() : setup.payments();
        out.put("cost_usd", SandboxSetup.cost(entries));
        out.set("payments", json(entries));
    }
}
