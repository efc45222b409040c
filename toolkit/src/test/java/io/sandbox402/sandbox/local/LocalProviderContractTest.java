package io.sandbox402.sandbox.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sandbox402.sandbox.SandboxProvider;
import io.sandbox402.sandbox.SandboxProviderContract;
import io.sandbox402.testing.Prerequisites;

class LocalProviderContractTest extends SandboxProviderContract {
    private LocalProvider local;

    @Override
    protected SandboxProvider provider() {
        local = LocalProvider.builder().shutdownHook(false).build();
        Prerequisites.require(local.isAvailable(), local.description());
        return local;
    }

    @Override
    protected boolean keepsBackgroundProcesses() {
        return local.machines();
    }

    @Override
    protected void afterClose() {
        assertThat(local.runningSandboxes()).isZero();
    }
}
