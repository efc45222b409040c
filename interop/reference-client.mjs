// A reference x402 client: @x402/fetch with @x402/evm's exact scheme and a viem account pays a
// BlockRun-compatible API's create, exec and terminate.
// Env: BASE_URL (for instance http://127.0.0.1:PORT/api), PRIVATE_KEY.
// Prints one JSON object {"create":{status,body,paymentResponse},"exec":{...},"terminate":{...}}.
import { wrapFetchWithPaymentFromConfig, decodePaymentResponseHeader } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm";
import { privateKeyToAccount } from "viem/accounts";

const base = process.env.BASE_URL;
const account = privateKeyToAccount(process.env.PRIVATE_KEY);
const pay = wrapFetchWithPaymentFromConfig(fetch, {
  schemes: [{ network: "eip155:8453", client: new ExactEvmScheme(account) }],
});

async function call(operation, body) {
  const response = await pay(`${base}/v1/modal/sandbox/${operation}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const header = response.headers.get("PAYMENT-RESPONSE");
  return {
    status: response.status,
    body: await response.json(),
    paymentResponse: header ? decodePaymentResponseHeader(header) : null,
  };
}

const create = await call("create", {});
const id = create.body.sandbox_id;
const exec = await call("exec", { sandbox_id: id, command: ["python3", "-c", "print(2+2)"] });
const terminate = await call("terminate", { sandbox_id: id });
console.log(JSON.stringify({ create, exec, terminate }));
