// A reference x402 server: Express protected by @x402/express's payment middleware (x402 version 2),
// with a local facilitator that verifies with viem and settles in memory (no chain).
//
// Env: PORT (0 = any free port), PAY_TO (the payee address), PRICE (default "$0.001").
// Prints {"port":N} on stdout once listening; logs each verify and settle on stderr; exits when stdin closes.
import express from "express";
import { paymentMiddleware, x402ResourceServer } from "@x402/express";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import { recoverTypedDataAddress, keccak256, toHex } from "viem";
import { typedData } from "./eip3009.mjs";

const NETWORK = "eip155:8453";
const payTo = process.env.PAY_TO;
if (!payTo) {
  console.error("PAY_TO is required");
  process.exit(2);
}

const usedNonces = new Set();

/** What a facilitator checks for an exact EVM payment, with viem and no chain. */
async function check(payload, requirements) {
  const { authorization, signature } = payload.payload;
  const payer = authorization.from;
  const fail = (invalidReason) => ({ isValid: false, invalidReason, payer });
  if (payload.accepted?.scheme !== "exact" || requirements.scheme !== "exact") return fail("invalid_scheme");
  if (payload.accepted?.network !== requirements.network) return fail("invalid_network");
  const domain = {
    name: requirements.extra?.name,
    version: requirements.extra?.version,
    chainId: requirements.network.split(":")[1],
    verifyingContract: requirements.asset,
  };
  const recovered = await recoverTypedDataAddress({ ...typedData(domain, authorization), signature });
  if (recovered.toLowerCase() !== payer.toLowerCase()) return fail("invalid_exact_evm_payload_signature");
  if (authorization.to.toLowerCase() !== requirements.payTo.toLowerCase()) return fail("invalid_exact_evm_payload_recipient_mismatch");
  const now = Math.floor(Date.now() / 1000);
  if (BigInt(authorization.validBefore) < BigInt(now + 6)) return fail("invalid_exact_evm_payload_authorization_valid_before");
  if (BigInt(authorization.validAfter) > BigInt(now)) return fail("invalid_exact_evm_payload_authorization_valid_after");
  if (BigInt(authorization.value) !== BigInt(requirements.amount)) return fail("invalid_exact_evm_payload_authorization_value");
  if (usedNonces.has(`${payer.toLowerCase()}/${authorization.nonce}`)) return fail("invalid_transaction_state");
  return { isValid: true, payer };
}

const facilitator = {
  async verify(payload, requirements) {
    const result = await check(payload, requirements);
    console.error(JSON.stringify({ event: "verify", ...result }));
    return result;
  },
  async settle(payload, requirements) {
    const result = await check(payload, requirements);
    if (!result.isValid) {
      console.error(JSON.stringify({ event: "settle", success: false, errorReason: result.invalidReason }));
      return { success: false, errorReason: result.invalidReason, payer: result.payer, transaction: "", network: requirements.network };
    }
    const { authorization } = payload.payload;
    usedNonces.add(`${authorization.from.toLowerCase()}/${authorization.nonce}`);
    const transaction = keccak256(toHex(`${authorization.from}${authorization.nonce}`));
    console.error(JSON.stringify({ event: "settle", success: true, payer: result.payer, transaction }));
    return { success: true, payer: result.payer, transaction, network: requirements.network };
  },
  async getSupported() {
    return { kinds: [{ x402Version: 2, scheme: "exact", network: NETWORK }], extensions: [], signers: {} };
  },
};

const server = new x402ResourceServer(facilitator).register(NETWORK, new ExactEvmScheme());
const app = express();
app.use(express.json());
app.use(paymentMiddleware({
  "POST /paid": {
    accepts: { scheme: "exact", price: process.env.PRICE ?? "$0.001", network: NETWORK, payTo },
    description: "A paid echo for interoperability tests",
    mimeType: "application/json",
  },
}, server));
app.post("/paid", (req, res) => res.json({ ok: true, echo: req.body ?? null }));

const listener = app.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(JSON.stringify({ port: listener.address().port }));
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
