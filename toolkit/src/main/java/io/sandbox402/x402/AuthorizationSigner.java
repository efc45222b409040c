package io.sandbox402.x402;

import io.sandbox402.x402.internal.Authorization;
import io.sandbox402.x402.internal.Eip3009Signer;
import io.sandbox402.x402.internal.PaymentPayload;
import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.web3j.utils.Numeric;

/**
 * Signs one payment for a chosen offer. First the host's recent rejections and the policy are checked,
 * so nothing is signed that the policy refuses; then the payment is reserved in the ledger (which
 * enforces the session cap), and only then is the EIP-3009 authorization signed.
 */
final class AuthorizationSigner {
    private static final System.Logger LOG = System.getLogger(X402Interceptor.class.getName());

    /** Reference clients backdate validAfter by ten minutes so a payer's fast clock is not refused. */
    static final long CLOCK_SKEW_SECONDS = 600;

    private final Wallet wallet;
    private final Eip3009Signer signer;
    private final PaymentPolicy policy;
    private final SpendLedger ledger;
    private final HostRejections rejections;
    private final Clock clock;
    private final SecureRandom random;

    AuthorizationSigner(Wallet wallet, PaymentPolicy policy, SpendLedger ledger, HostRejections rejections, Clock clock,
            SecureRandom random) {
        this.wallet = wallet;
        this.signer = new Eip3009Signer(wallet);
        this.policy = policy;
        this.ledger = ledger;
        this.rejections = rejections;
        this.clock = clock;
        this.random = random;
    }

    /**
     * @throws PaymentRefusedException when the policy, the session cap or the host's rejections forbid it
     */
    SignedPayment sign(Request request, PaymentRequired required, Offer offer, @Nullable PaymentTag tag) {
        PaymentRequirements entry = offer.entry();
        PaymentQuote quote = new PaymentQuote(request.method(), request.url().toString(), offer.network(),
                entry.payTo(), entry.amount(), Usdc.toUsd(entry.amount()));
        Instant now = clock.instant();
        rejections.check(request.url().host(), quote, now);
        policy.checkQuote(quote);
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        long validBefore = now.getEpochSecond() + policy.validitySeconds(entry.maxTimeoutSeconds());
        Authorization authorization = new Authorization(wallet.address(), entry.payTo(), entry.amount(),
                Math.max(0, now.getEpochSecond() - CLOCK_SKEW_SECONDS), validBefore, Numeric.toHexString(nonce));
        LedgerEntry pending = ledger.reserve(new LedgerEntry(0, now, request.method(), quote.url(), offer.network(),
                entry.asset(), entry.payTo(), wallet.address(), entry.amount(), quote.usd(), authorization.nonce(),
                Instant.ofEpochSecond(validBefore), LedgerEntry.Outcome.PENDING, null, null), policy, quote,
                tag != null && tag.isCleanup());
        PaymentTag.record(tag, pending);
        String signature = signer.sign(entry.domain(offer.network()), authorization);
        PaymentPayload payload = new PaymentPayload(required.x402Version(), entry.scheme(), entry.network(),
                required.resource(), entry.raw(), signature, authorization, required.extensions());
        LOG.log(System.Logger.Level.DEBUG, "Paying {0} to {1} on {2} for {3} {4}",
                quote.price(), entry.payTo(), offer.network().caip2(), request.method(), quote.url());
        return new SignedPayment(payload, pending);
    }
}
