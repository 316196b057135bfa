package dev.storefront.checkout;

import dev.storefront.common.ServiceMain;

/** checkout in a process of its own (split mode, a container): the kit starts it (ServiceMain). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        ServiceMain.run("checkout", CheckoutModule::create);
    }
}
