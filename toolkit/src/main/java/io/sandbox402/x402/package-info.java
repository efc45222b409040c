/**
 * x402 payments on Base in USDC: an OkHttp interceptor that answers HTTP 402 with a signed EIP-3009
 * transfer authorization, within a spending policy, recording every payment in a ledger. It knows
 * nothing of sandboxes; any OkHttp client can use it.
 *
 * <pre>{@code
 * SpendLedger ledger = SpendLedger.appendingTo(Path.of("payments.jsonl"));
 * X402Interceptor payments = X402Interceptor.builder()
 *         .wallet(Wallet.fromEnvironment())                 // BLOCKRUN_WALLET_KEY
 *         .policy(PaymentPolicy.builder()
 *                 .maxCostPerCall(new BigDecimal("0.05"))
 *                 .maxSessionCost(new BigDecimal("1.00"))      // counts what servers could still settle
 *                 .maxValidity(Duration.ofMinutes(5))         // the longest an authorization lives
 *                 .build())
 *         .ledger(ledger)
 *         .build();
 * OkHttpClient client = new OkHttpClient.Builder().addInterceptor(payments).build();
 * // ... make requests as usual; 402s are paid within the policy
 * System.out.println("spent " + Usdc.format(ledger.totalSettled()) + "; still collectable " + Usdc.format(ledger.totalExposed()));
 * }</pre>
 *
 * <p>This is the client side only. The server side (quoting with a 402, verifying a payment as a
 * facilitator does, settling) lives in the {@code io.sandbox402:emulator} artifact, so the toolkit that
 * applications embed carries no HTTP server.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package io.sandbox402.x402;

import org.jspecify.annotations.NullMarked;
