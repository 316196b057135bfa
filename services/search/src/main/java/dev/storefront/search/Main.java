package dev.storefront.search;

import dev.storefront.common.ServiceMain;

/** search in a process of its own (split mode, a container): the kit starts it (ServiceMain). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ServiceMain.run("search", SearchModule::create);
    }
}
