package com.vivesphere.mq.botworker.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;

import com.vivesphere.mq.botworker.config.BotWorkerConfig;

class XClientSelectionTest {

    @Test
    void productionRefusesTheDryRunUnlessAllowed() {
        BotWorkerConfig dryRun = (BotWorkerConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { BotWorkerConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "executor" -> BotWorkerConfig.Executor.DRY_RUN;
                    case "allowDryRun" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        assertThatThrownBy(() -> XClientSelection.refuseUnallowedDryRun(null, dryRun))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BOT_EXECUTOR=dry-run in production")
                .hasMessageContaining("BOT_WORKER_ALLOW_DRY_RUN=true");
    }
}
