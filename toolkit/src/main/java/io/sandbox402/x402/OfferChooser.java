package io.sandbox402.x402;

import io.sandbox402.x402.internal.PaymentRequired;
import io.sandbox402.x402.internal.PaymentRequirements;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.Request;

/**
 * Chooses what to pay among a 402's offers: the cheapest entry with scheme {@code exact}, a network the
 * policy allows and that network's USDC. When none qualifies it says why each was passed over.
 */
final class OfferChooser {
    private static final Pattern ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]{40}");

    private final PaymentPolicy policy;

    OfferChooser(PaymentPolicy policy) {
        this.policy = policy;
    }

    /**
     * @throws MalformedPaymentRequestException when an entry's payee is no address
     * @throws PaymentRefusedException when only networks the policy disallows are offered
     * @throws UnsupportedPaymentException when no offer can be paid at all
     */
    Offer choose(Request request, PaymentRequired required) {
        List<Offer> payable = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        List<String> disallowed = new ArrayList<>();
        for (int i = 0; i < required.accepts().size(); i++) {
            PaymentRequirements entry = required.accepts().get(i);
            if (!ADDRESS.matcher(entry.payTo()).matches()) {
                throw new MalformedPaymentRequestException("accepts[" + i + "].payTo must be an address (0x and 40 hex"
                        + " digits), was '" + abbreviate(entry.payTo()) + "'. Nothing was signed.");
            }
            Optional<Network> network = Network.fromId(entry.network());
            String offer = entry.scheme() + " on " + entry.network();
            if (!PaymentRequirements.EXACT.equals(entry.scheme())) {
                refused.add(offer + " (scheme '" + entry.scheme() + "' is not supported; only 'exact')");
            } else if (network.isEmpty()) {
                refused.add(offer + " (unknown network)");
            } else if (!entry.asset().equalsIgnoreCase(network.get().usdcAddress())) {
                refused.add(offer + " (asset " + entry.asset() + " is not USDC on that network)");
            } else if (!policy.allows(network.get())) {
                disallowed.add(network.get().caip2());
            } else {
                payable.add(new Offer(entry, network.get()));
            }
        }
        if (!payable.isEmpty()) {
            return payable.stream().min(Comparator.comparing(offer -> offer.entry().amount())).orElseThrow();
        }
        if (!disallowed.isEmpty()) {
            throw new PaymentRefusedException("Payment refused for " + request.method() + " " + request.url()
                    + ": the server accepts payment on " + String.join(", ", disallowed) + ", which the policy does not allow"
                    + " (allowed: " + policy.networks().stream().map(Network::caip2).toList()
                    + "). Allow it with PaymentPolicy.builder().allowNetworks(..).");
        }
        throw new UnsupportedPaymentException("Cannot pay for " + request.method() + " " + request.url()
                + ": none of the server's payment options is supported. Offered: " + String.join("; ", refused) + ".");
    }

    /** Whether two offers name the same price, payee, asset, network and scheme. */
    static boolean sameTerms(PaymentRequirements a, PaymentRequirements b) {
        return a.amount().equals(b.amount()) && a.payTo().equalsIgnoreCase(b.payTo()) && a.asset().equalsIgnoreCase(b.asset())
                && a.network().equals(b.network()) && a.scheme().equals(b.scheme());
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
