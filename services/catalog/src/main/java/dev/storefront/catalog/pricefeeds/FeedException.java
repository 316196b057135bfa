package dev.storefront.catalog.pricefeeds;

/** A fetch that failed for a reason worth showing the admin (the message goes into the feed's status). */
final class FeedException extends Exception {
    FeedException(String message) {
        super(message);
    }

    FeedException(String message, Throwable cause) {
        super(message, cause);
    }
}
