package dev.storefront.checkout;

import java.util.ArrayList;
import java.util.List;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.http.InventoryAvailability;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;

/**
 * Asks inventory, before anything is recorded, whether every line could be reserved now. It only
 * saves work, the reservation in the saga decides: in a flash sale the shoppers who come after the
 * last unit is reserved get their 409 here, without an order, a saga or a reservation to undo.
 */
final class StockPrecheck {
    private final InventoryAvailability inventory;

    StockPrecheck(ServiceContext ctx) {
        this.inventory = new InventoryAvailability(ctx);
    }

    void requireAvailable(OrderDraft draft) {
        List<FieldError> shortLines = new ArrayList<>();
        for (int i = 0; i < draft.items().size(); i++) {
            OrderDraft.Line line = draft.items().get(i);
            int available = inventory.available(line.productId());
            if (available < line.quantity()) {
                shortLines.add(new FieldError("items[" + i + "].productId", available == 0
                        ? line.name() + " is out of stock" : "exceeds the " + available + " available of " + line.name()));
            }
        }
        if (!shortLines.isEmpty()) {
            throw new ApiException(ErrorCode.OUT_OF_STOCK, "Not enough stock for some items", shortLines, null, null);
        }
    }
}
