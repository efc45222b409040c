// Signs EIP-3009 TransferWithAuthorization messages with viem, for byte-for-byte comparison.
// Stdin: JSON lines {"privateKey","domain":{name,version,chainId,verifyingContract},
//                    "message":{from,to,value,validAfter,validBefore,nonce},"signature"?}
// Stdout: one JSON line each {"signature","address","recovered"} (recovered: the signer of the given
// "signature", or null when none was given).
import { createInterface } from "node:readline";
import { privateKeyToAccount } from "viem/accounts";
import { recoverTypedDataAddress } from "viem";

const types = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
};

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const input = JSON.parse(line);
  const account = privateKeyToAccount(input.privateKey);
  const domain = { ...input.domain, chainId: Number(input.domain.chainId) };
  const message = {
    ...input.message,
    value: BigInt(input.message.value),
    validAfter: BigInt(input.message.validAfter),
    validBefore: BigInt(input.message.validBefore),
  };
  const typed = { domain, types, primaryType: "TransferWithAuthorization", message };
  const signature = await account.signTypedData(typed);
  const recovered = input.signature ? await recoverTypedDataAddress({ ...typed, signature: input.signature }) : null;
  console.log(JSON.stringify({ signature, address: account.address, recovered }));
}
