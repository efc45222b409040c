package io.sandbox402.testing;

/**
 * The public development keys of Hardhat and Anvil (mnemonic "test test ... junk"). Everyone knows
 * them; they hold nothing on a real chain and are the only keys the tests use. Account #0's key is
 * also {@code io.sandbox402.emulator.BlockRunEmulator.DEVELOPMENT_KEY}, the one main code, benchmarks and
 * the emulator's and agent's tests use; it is repeated here because the toolkit's tests cannot depend
 * on the emulator module (which depends on the toolkit).
 */
public final class DevKeys {
    private DevKeys() {}

    public static final String ACCOUNT_0_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    public static final String ACCOUNT_0_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    public static final String ACCOUNT_1_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    public static final String ACCOUNT_1_ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    public static final String ACCOUNT_2_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
    public static final String ACCOUNT_2_ADDRESS = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
}
