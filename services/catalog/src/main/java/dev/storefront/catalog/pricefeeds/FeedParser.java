package dev.storefront.catalog.pricefeeds;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.storefront.common.web.Validator;

/**
 * Turns a downloaded feed into rows (key, price, currency) with Jackson (JSON) and Jackson's CSV
 * module. A row that is not usable (no key, a price that is no amount of money, an unknown currency,
 * a key seen before in the same feed, a CSV line with the wrong number of columns) is rejected and
 * counted; the good rows are kept. A document that cannot be read at all fails the fetch.
 */
final class FeedParser {
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");
    private static final int MAX_KEY = 100;
    private static final ObjectMapper JSON = JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(60).build())
                    .build())
            .build();
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES).build();

    /** A usable row; {@code key} is trimmed, and a GTIN is in its 14-digit form. */
    record Row(String key, BigDecimal price, String currency) {
    }

    record Parsed(List<Row> rows, int rejected) {
    }

    private FeedParser() {
    }

    static Parsed parse(byte[] body, String format, PriceFeedBody.Mapping mapping, String defaultCurrency) throws FeedException {
        Rows rows = new Rows(mapping.matchBy(), defaultCurrency);
        if ("JSON".equals(format)) {
            parseJson(body, mapping, rows);
        } else {
            parseCsv(body, mapping, rows);
        }
        return new Parsed(rows.rows, rows.rejected);
    }

    private static void parseJson(byte[] body, PriceFeedBody.Mapping mapping, Rows rows) throws FeedException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new FeedException("Not readable as JSON: " + firstLine(reason(e)));
        }
        JsonNode items = mapping.items() == null ? root : root == null ? null : root.at(JsonPointer.compile(mapping.items()));
        if (items == null || !items.isArray()) {
            throw new FeedException(mapping.items() == null ? "The JSON document is not an array of rows"
                    : "No array of rows at " + mapping.items());
        }
        for (JsonNode item : items) {
            if (!item.isObject()) {
                rows.reject();
                continue;
            }
            rows.add(scalar(field(item, mapping.key())), scalar(field(item, mapping.price())),
                    mapping.currency() == null ? null : scalar(field(item, mapping.currency())));
        }
    }

    private static JsonNode field(JsonNode item, String name) {
        return name.startsWith("/") ? item.at(JsonPointer.compile(name)) : item.get(name);
    }

    /** Text or a number as text (a GTIN or a price may be either); anything else is missing. */
    private static String scalar(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        if (node.isFloatingPointNumber()) {
            return node.decimalValue().toPlainString();
        }
        return null;
    }

    private static void parseCsv(byte[] body, PriceFeedBody.Mapping mapping, Rows rows) throws FeedException {
        int skip = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF ? 3 : 0;
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).with(CsvSchema.emptySchema())
                .readValues(body, skip, body.length - skip)) {
            if (!it.hasNextValue()) {
                throw new FeedException("The CSV feed is empty");
            }
            List<String> header = Arrays.stream(it.nextValue()).map(String::trim).toList();
            int key = column(header, mapping.key());
            int price = column(header, mapping.price());
            int currency = mapping.currency() == null ? -1 : column(header, mapping.currency());
            while (it.hasNextValue()) {
                String[] line = it.nextValue();
                if (line.length == 1 && line[0].isEmpty()) {
                    continue; // a blank line
                }
                if (line.length != header.size()) {
                    rows.reject();
                    continue;
                }
                rows.add(line[key], line[price], currency < 0 ? null : line[currency]);
            }
        } catch (IOException | RuntimeException e) {
            throw new FeedException("Not readable as CSV: " + firstLine(reason(e)));
        }
    }

    private static int column(List<String> header, String name) throws FeedException {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new FeedException("The CSV header has no column '" + name + "'");
        }
        return index;
    }

    /** Jackson's message without its location suffix (the source is redacted anyway). */
    private static String reason(Exception e) {
        return e instanceof com.fasterxml.jackson.core.JacksonException j ? j.getOriginalMessage() : e.getMessage();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    /** Collects good rows, counts bad ones. */
    private static final class Rows {
        private final boolean gtin;
        private final String defaultCurrency;
        private final List<Row> rows = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private int rejected;

        Rows(String matchBy, String defaultCurrency) {
            this.gtin = "GTIN".equals(matchBy);
            this.defaultCurrency = defaultCurrency;
        }

        void reject() {
            rejected++;
        }

        void add(String rawKey, String rawPrice, String rawCurrency) {
            String key = rawKey == null ? "" : rawKey.trim();
            if (key.isEmpty() || key.length() > MAX_KEY || !new Validator().text("key", key, MAX_KEY).errors().isEmpty()) {
                reject();
                return;
            }
            if (gtin) {
                if (!Gtin.valid(key)) {
                    reject();
                    return;
                }
                key = Gtin.normalized(key);
            }
            BigDecimal price;
            try {
                price = rawPrice == null || rawPrice.length() > 40 ? null : new BigDecimal(rawPrice.trim());
            } catch (NumberFormatException e) {
                price = null;
            }
            if (price == null || !new Validator().money("price", price).errors().isEmpty()) {
                reject();
                return;
            }
            String currency = rawCurrency == null || rawCurrency.isBlank() ? null : rawCurrency.trim().toUpperCase(Locale.ROOT);
            if (currency == null) {
                currency = defaultCurrency;
            } else if (!CURRENCY.matcher(currency).matches()) {
                reject();
                return;
            }
            if (currency == null) {
                reject();
                return;
            }
            if (!seen.add(key)) {
                reject(); // the same key again in one feed: the first row stands, later ones are counted as rejected
                return;
            }
            rows.add(new Row(key, price.setScale(2), currency));
        }
    }
}
