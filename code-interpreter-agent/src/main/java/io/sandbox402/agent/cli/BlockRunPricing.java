package io.sandbox402.agent.cli;

import io.sandbox402.eval.Pricing;
import io.sandbox402.sandbox.blockrun.BlockRunProvider;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** BlockRun's prices for an evaluation's estimate, asked for without paying: an unpaid request answers with its price. */
final class BlockRunPricing {
    private BlockRunPricing() {}

    static Pricing of(BlockRunProvider provider) {
        return new Pricing(price(provider, "create", Map.of("timeout", 300)),
                price(provider, "exec", Map.of("sandbox_id", "sb-quote", "command", List.of("true"))),
                price(provider, "terminate", Map.of("sandbox_id", "sb-quote")));
    }

    private static BigDecimal price(BlockRunProvider provider, String operation, Map<String, Object> body) {
        return provider.quote(operation, body).usd();
    }
}
