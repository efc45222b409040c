// The anchor for signing one EIP-3009 authorization: viem's signTypedData, in a loop.
// Usage: node interop/bench/sign-typed-data.mjs [ops] [warmup]
// Signs `warmup` then `ops` random TransferWithAuthorization messages (random to, value, nonce) with
// Hardhat's dev key #0, the typed data built beforehand so only signTypedData is timed.
// Stdout: one JSON line {"ops","msPerOp","viem"}.
import { randomBytes } from "node:crypto";
import { privateKeyToAccount } from "viem/accounts";
import { typedData } from "../eip3009.mjs";

const ops = Number(process.argv[2] ?? 500);
const warmup = Number(process.argv[3] ?? 200);
const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const domain = { name: "USD Coin", version: "2", chainId: 8453, verifyingContract: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" };

function randomAuthorization() {
  const now = Math.floor(Date.now() / 1000);
  return typedData(domain, {
    from: account.address,
    to: "0x" + randomBytes(20).toString("hex"),
    value: String(1 + randomBytes(3).readUIntBE(0, 3)),
    validAfter: String(now - 600),
    validBefore: String(now + 300),
    nonce: "0x" + randomBytes(32).toString("hex"),
  });
}

const messages = Array.from({ length: warmup + ops }, randomAuthorization);
for (let i = 0; i < warmup; i++) await account.signTypedData(messages[i]);
const started = process.hrtime.bigint();
for (let i = warmup; i < warmup + ops; i++) await account.signTypedData(messages[i]);
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
const { version } = JSON.parse(
  (await import("node:fs")).readFileSync(new URL("../node_modules/viem/package.json", import.meta.url), "utf8"));
console.log(JSON.stringify({ ops, msPerOp: elapsedMs / ops, viem: version }));
