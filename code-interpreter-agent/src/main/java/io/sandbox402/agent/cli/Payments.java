package io.sandbox402.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sandbox402.x402.LedgerEntry;
import io.sandbox402.x402.SpendLedger;

/** The ledger as JSON, for {@code --json} outputs. */
final class Payments {
    private Payments() {}

    static ArrayNode json(SpendLedger ledger) {
        ArrayNode payments = JsonNodeFactory.instance.arrayNode();
        if (ledger == null) {
            return payments;
        }
        for (LedgerEntry entry : ledger.entries()) {
            ObjectNode payment = payments.addObject();
            payment.put("url", entry.url());
            payment.put("amount", entry.amount().toString());
            payment.put("usd", entry.usd());
            payment.put("network", entry.network() == null ? null : entry.network().caip2());
            payment.put("pay_to", entry.payTo());
            payment.put("outcome", entry.outcome().name().toLowerCase());
            payment.put("transaction", entry.transaction());
        }
        return payments;
    }
}
