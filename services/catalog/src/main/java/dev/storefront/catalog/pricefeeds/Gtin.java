package dev.storefront.catalog.pricefeeds;

/**
 * Global Trade Item Numbers (GTIN-8, UPC-A/GTIN-12, EAN-13, GTIN-14): digits with a GS1 mod-10 check
 * digit. Feeds and products are matched on the 14-digit form, so a UPC-12 finds the same item's EAN-13.
 * Hand-written: the check is ten lines and GS1 publishes it; no library is needed for it.
 */
public final class Gtin {
    private Gtin() {
    }

    /** Why {@code value} is no GTIN, or null when it is one. */
    public static String problem(String value) {
        if (value == null) {
            return "is required";
        }
        int n = value.length();
        if (!(n == 8 || n == 12 || n == 13 || n == 14) || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "must be a GTIN of 8, 12, 13 or 14 digits";
        }
        return checkDigit(value.substring(0, n - 1)) == value.charAt(n - 1) - '0' ? null : "has a wrong check digit";
    }

    public static boolean valid(String value) {
        return problem(value) == null;
    }

    /** The 14-digit form of a valid GTIN (left-padded with zeros). */
    public static String normalized(String value) {
        return "0".repeat(14 - value.length()) + value;
    }

    /** GS1: from the right, digits weigh 3, 1, 3, ...; the check digit brings the sum to a multiple of 10. */
    static int checkDigit(String body) {
        int sum = 0;
        for (int i = 0; i < body.length(); i++) {
            int digit = body.charAt(body.length() - 1 - i) - '0';
            sum += i % 2 == 0 ? digit * 3 : digit;
        }
        return (10 - sum % 10) % 10;
    }
}
