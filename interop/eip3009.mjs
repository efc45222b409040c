// EIP-3009 TransferWithAuthorization as EIP-712 typed data, shared by the reference scripts.
export const types = {
  TransferWithAuthorization: [
    { name: "from", type: "address" },
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "validAfter", type: "uint256" },
    { name: "validBefore", type: "uint256" },
    { name: "nonce", type: "bytes32" },
  ],
};

/** The typed data of an authorization whose numbers are decimal strings, as x402 sends them. */
export function typedData(domain, authorization) {
  return {
    domain: { ...domain, chainId: Number(domain.chainId) },
    types,
    primaryType: "TransferWithAuthorization",
    message: {
      from: authorization.from,
      to: authorization.to,
      value: BigInt(authorization.value),
      validAfter: BigInt(authorization.validAfter),
      validBefore: BigInt(authorization.validBefore),
      nonce: authorization.nonce,
    },
  };
}
