// Signs EIP-3009 TransferWithAuthorization messages with viem, for byte-for-byte comparison.
// Stdin: JSON lines {"privateKey","domain":{name,version,chainId,verifyingContract},
//                    "message":{from,to,value,validAfter,validBefore,nonce},"signature"?}
// Stdout: one JSON line each {"signature","address","recovered"} (recovered: the signer of the given
// "signature", or null when none was given).
import { createInterface } from "node:readline";
import { privateKeyToAccount } from "viem/accounts";
import { recoverTypedDataAddress } from "viem";
import { typedData } from "./eip3009.mjs";

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const input = JSON.parse(line);
  const account = privateKeyToAccount(input.privateKey);
  const typed = typedData(input.domain, input.message);
  const signature = await account.signTypedData(typed);
  const recovered = input.signature ? await recoverTypedDataAddress({ ...typed, signature: input.signature }) : null;
  console.log(JSON.stringify({ signature, address: account.address, recovered }));
}
