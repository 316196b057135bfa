package dev.storefront.catalog;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.web.Json;
import io.helidon.config.Config;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The demo catalog (a category tree and some 200 products with fixed ids, sold by one fixed demo
 * vendor) and a generator of many more for benchmarks.
 */
public final class CatalogDemoData {
    /** The vendor every demo product belongs to; auth's demo data should own a vendor with this id. */
    public static final UUID DEMO_VENDOR_ID = UUID.fromString("00000000-0000-4000-8000-00000000d0e0");

    /** name, slug, parent slug, description. */
    record CategorySeed(String name, String slug, String parent, String description) {
    }

    /** One kind of product in a leaf category: noun, base price, what it is good for. */
    record Item(String noun, String price, String blurb) {
    }

    static final List<CategorySeed> CATEGORIES = List.of(
            new CategorySeed("Electronics", "electronics", null, "Gadgets, audio and computing"),
            new CategorySeed("Audio", "audio", "electronics", "Headphones, speakers and turntables"),
            new CategorySeed("Computers", "computers", "electronics", "Laptops, keyboards and accessories"),
            new CategorySeed("Smart Home", "smart-home", "electronics", "Connected lights, plugs and sensors"),
            new CategorySeed("Home & Kitchen", "home-kitchen", null, "Everything for the home"),
            new CategorySeed("Kitchen", "kitchen", "home-kitchen", "Cookware, appliances and tools"),
            new CategorySeed("Furniture", "furniture", "home-kitchen", "Chairs, tables and storage"),
            new CategorySeed("Clothing", "clothing", null, "Everyday wear and outerwear"),
            new CategorySeed("Men", "men", "clothing", "Men's clothing"),
            new CategorySeed("Women", "women", "clothing", "Women's clothing"),
            new CategorySeed("Books", "books", null, "Fiction, non-fiction and cookbooks"),
            new CategorySeed("Sports & Outdoors", "sports-outdoors", null, "Gear for getting outside"),
            new CategorySeed("Camping", "camping", "sports-outdoors", "Tents, stoves and lanterns"),
            new CategorySeed("Fitness", "fitness", "sports-outdoors", "Home gym and training"),
            new CategorySeed("Beauty", "beauty", null, "Skin care and grooming"),
            new CategorySeed("Toys & Games", "toys-games", null, "Board games, puzzles and building sets"),
            new CategorySeed("Garden", "garden", null, "Tools, planters and outdoor living"),
            new CategorySeed("Office", "office", null, "Desks, stationery and organisation"));

    static final Map<String, List<String>> BRANDS = Map.ofEntries(
            Map.entry("audio", List.of("Sonora", "Aurelia")), Map.entry("computers", List.of("Vertex", "Northwind")),
            Map.entry("smart-home", List.of("Lumio", "Hearth")), Map.entry("kitchen", List.of("Copperline", "Brava")),
            Map.entry("furniture", List.of("Oakhaven", "Nordlys")), Map.entry("men", List.of("Fieldcraft", "Harbor & Vine")),
            Map.entry("women", List.of("Wren", "Solstice")), Map.entry("books", List.of("Paperlight Press", "Meridian Books")),
            Map.entry("camping", List.of("Trailhead", "Summit Ridge")), Map.entry("fitness", List.of("Ironleaf", "Pulse")),
            Map.entry("beauty", List.of("Botanica", "Lune")), Map.entry("toys-games", List.of("Tinker & Co", "Meeple House")),
            Map.entry("garden", List.of("Greenthumb", "Terracotta Works")), Map.entry("office", List.of("Inkwell", "Deskline")));

    static final Map<String, List<Item>> ITEMS = Map.ofEntries(
            Map.entry("audio", List.of(
                    new Item("Wireless Noise-Cancelling Headphones", "199.99", "Adaptive noise cancelling and 30-hour battery life for long flights"),
                    new Item("True Wireless Earbuds", "89.99", "Pocket-sized case, sweat resistant and a snug fit for workouts"),
                    new Item("Portable Bluetooth Speaker", "59.99", "Waterproof speaker with a rich bass that fills a room"),
                    new Item("Bookshelf Speakers", "249.00", "A pair of passive speakers with silk-dome tweeters"),
                    new Item("Belt-Drive Turntable", "179.00", "Plays 33 and 45 rpm records with a built-in phono preamp"),
                    new Item("USB Condenser Microphone", "119.00", "Studio-quality voice for podcasts and video calls"),
                    new Item("Soundbar with Subwoofer", "299.00", "Cinematic sound for your TV with a wireless subwoofer"))),
            Map.entry("computers", List.of(
                    new Item("Mechanical Keyboard", "129.00", "Hot-swappable switches, aluminium frame and per-key backlight"),
                    new Item("Ergonomic Wireless Mouse", "49.99", "A sculpted shape that keeps your wrist in a natural position"),
                    new Item("27-inch 4K Monitor", "349.00", "Colour-accurate IPS panel with USB-C power delivery"),
                    new Item("USB-C Docking Station", "159.00", "One cable for two displays, Ethernet and charging"),
                    new Item("14-inch Ultrabook Laptop", "1099.00", "All-day battery in a 1.2 kg aluminium body"),
                    new Item("Portable SSD 1TB", "99.99", "Transfers at up to 1050 MB/s in a drop-resistant shell"),
                    new Item("HD Webcam", "69.99", "1080p video with autofocus and dual microphones"))),
            Map.entry("smart-home", List.of(
                    new Item("Smart LED Bulb 4-Pack", "39.99", "Sixteen million colours and schedules from your phone"),
                    new Item("Wi-Fi Smart Plug", "19.99", "Turn any lamp or fan into a connected device"),
                    new Item("Video Doorbell", "129.00", "See who is at the door in HD, day or night"),
                    new Item("Smart Thermostat", "199.00", "Learns your schedule and cuts heating bills"),
                    new Item("Indoor Security Camera", "49.99", "Motion alerts and two-way talk in 1080p"),
                    new Item("Motion Sensor", "24.99", "Triggers lights and alarms when someone walks by"))),
            Map.entry("kitchen", List.of(
                    new Item("Espresso Machine", "449.00", "15-bar pump and steam wand for café-style lattes at home"),
                    new Item("Cast Iron Skillet", "39.99", "Pre-seasoned 12-inch pan that goes from stove to oven"),
                    new Item("Chef's Knife", "89.00", "8-inch high-carbon steel blade with a full tang"),
                    new Item("Stand Mixer", "379.00", "Ten speeds and a 5-litre stainless bowl for bread and cakes"),
                    new Item("Electric Kettle", "49.99", "Variable temperature for green tea, coffee and more"),
                    new Item("Nonstick Cookware Set", "159.00", "Ten pieces with a PFOA-free ceramic coating"),
                    new Item("Bamboo Cutting Board", "24.99", "Knife-friendly, sturdy and easy to clean"),
                    new Item("Air Fryer", "119.00", "Crispy results with little or no oil"))),
            Map.entry("furniture", List.of(
                    new Item("Oak Dining Table", "899.00", "Solid oak top that seats six, finished with natural oil"),
                    new Item("Velvet Armchair", "429.00", "Deep seat and tapered walnut legs"),
                    new Item("Standing Desk", "549.00", "Dual-motor height adjustment with memory presets"),
                    new Item("Bookcase", "219.00", "Five adjustable shelves in a slim footprint"),
                    new Item("Ergonomic Office Chair", "379.00", "Adjustable lumbar support and breathable mesh back"),
                    new Item("Storage Bench", "159.00", "Hallway seating with a lift-up lid"))),
            Map.entry("men", List.of(
                    new Item("Merino Wool Sweater", "89.00", "Soft, warm and itch-free fine merino knit"),
                    new Item("Slim Fit Chinos", "59.00", "Stretch cotton twill for the office or the weekend"),
                    new Item("Waterproof Rain Jacket", "149.00", "Seam-sealed shell that packs into its own pocket"),
                    new Item("Oxford Shirt", "49.00", "Classic button-down in breathable cotton"),
                    new Item("Leather Belt", "39.00", "Full-grain leather with a brushed steel buckle"),
                    new Item("Down Puffer Vest", "119.00", "Lightweight warmth with 650-fill responsibly sourced down"))),
            Map.entry("women", List.of(
                    new Item("Linen Midi Dress", "99.00", "Airy linen with a flattering wrap waist"),
                    new Item("Cashmere Scarf", "79.00", "Featherlight pure cashmere in a generous size"),
                    new Item("High-Rise Jeans", "79.00", "Stretch denim that keeps its shape all day"),
                    new Item("Wool Blend Coat", "249.00", "Tailored silhouette with a warm wool blend"),
                    new Item("Silk Blouse", "119.00", "Washable silk with mother-of-pearl buttons"),
                    new Item("Running Leggings", "64.00", "Sculpting fabric with a phone pocket"))),
            Map.entry("books", List.of(
                    new Item("The Lighthouse Keeper (Novel)", "16.99", "A moving story of solitude and second chances on a storm-swept coast"),
                    new Item("Everyday Sourdough (Cookbook)", "29.99", "Step-by-step recipes for bread, pizza and pastries"),
                    new Item("A Short History of Cities", "22.00", "How cities grew from Uruk to the megacities of today"),
                    new Item("Practical Python Programming", "39.99", "A hands-on guide from first script to web service"),
                    new Item("Stargazing for Beginners", "18.50", "Find planets, constellations and galaxies with a simple telescope"),
                    new Item("The Mindful Gardener", "24.00", "Seasonal projects for a calmer, greener life"))),
            Map.entry("camping", List.of(
                    new Item("2-Person Backpacking Tent", "229.00", "Freestanding, 1.6 kg and up in three minutes"),
                    new Item("Down Sleeping Bag", "189.00", "Rated to -5 °C and compresses to the size of a melon"),
                    new Item("Camping Stove", "69.99", "Boils a litre of water in under four minutes"),
                    new Item("LED Camping Lantern", "34.99", "Rechargeable lantern with 400 lumens and a power bank"),
                    new Item("Trekking Poles", "79.00", "Carbon fibre poles with cork grips"),
                    new Item("Hydration Backpack", "89.00", "2-litre reservoir and room for a day's gear"))),
            Map.entry("fitness", List.of(
                    new Item("Adjustable Dumbbells", "299.00", "From 2.5 to 24 kg in seconds with a twist of the dial"),
                    new Item("Yoga Mat", "45.00", "Non-slip natural rubber with alignment lines"),
                    new Item("Resistance Band Set", "29.99", "Five levels of resistance with handles and door anchor"),
                    new Item("Foam Roller", "24.99", "Firm high-density foam for recovery after training"),
                    new Item("Kettlebell 16 kg", "59.00", "Cast iron with a wide, smooth handle"),
                    new Item("Jump Rope", "19.99", "Ball-bearing handles for fast, smooth spins"))),
            Map.entry("beauty", List.of(
                    new Item("Vitamin C Serum", "34.00", "Brightens and evens skin tone with 15% vitamin C"),
                    new Item("Hydrating Face Cream", "28.00", "Hyaluronic acid and ceramides for all-day moisture"),
                    new Item("Mineral Sunscreen SPF 50", "22.00", "Broad-spectrum protection with no white cast"),
                    new Item("Beard Oil", "18.00", "Argan and jojoba oils to soften and condition"),
                    new Item("Bamboo Hair Brush", "16.00", "Gentle detangling with natural bristles"),
                    new Item("Lavender Bath Salts", "14.50", "Relaxing Epsom salts with essential oil"))),
            Map.entry("toys-games", List.of(
                    new Item("Strategy Board Game", "49.99", "Build, trade and expand in this game for 2 to 5 players"),
                    new Item("1000-Piece Jigsaw Puzzle", "19.99", "A coastal village scene printed on thick recycled board"),
                    new Item("Wooden Building Blocks", "39.00", "100 beech blocks in bright, non-toxic colours"),
                    new Item("Remote Control Car", "59.99", "Off-road racer with 25 km/h top speed"),
                    new Item("Card Game for Families", "14.99", "Quick rounds of laughter for ages 7 and up"),
                    new Item("Science Experiment Kit", "34.99", "Twenty safe experiments with crystals, slime and volcanoes"))),
            Map.entry("garden", List.of(
                    new Item("Cordless Hedge Trimmer", "129.00", "Dual-action blades and a 45-minute battery"),
                    new Item("Ceramic Planter Set", "49.00", "Three glazed pots with drainage holes and saucers"),
                    new Item("Garden Hose 30 m", "44.99", "Kink-free hose with a seven-pattern spray nozzle"),
                    new Item("Solar String Lights", "29.99", "Fifty warm-white LEDs that switch on at dusk"),
                    new Item("Raised Garden Bed", "119.00", "Cedar bed for vegetables and herbs"),
                    new Item("Pruning Shears", "27.00", "Bypass blades that cut cleanly through branches up to 2 cm"))),
            Map.entry("office", List.of(
                    new Item("Fountain Pen", "45.00", "Medium steel nib with a converter and ink cartridges"),
                    new Item("Dotted Notebook A5", "18.00", "Lay-flat binding and 160 pages of fountain-pen-friendly paper"),
                    new Item("Desk Organiser", "32.00", "Walnut tray for pens, cards and your phone"),
                    new Item("LED Desk Lamp", "59.00", "Dimmable with adjustable colour temperature and USB charging"),
                    new Item("Monitor Stand", "39.99", "Raises your screen to eye level with storage beneath"),
                    new Item("Noise-Reducing Desk Divider", "89.00", "Felt panel that cuts open-office noise"))));

    static final List<String> COLOURS = List.of("Black", "Graphite", "Navy", "Forest Green", "Sand", "White", "Terracotta", "Slate Blue");

    /** A demo product, fully determined by its place in the lists above. */
    record DemoProduct(UUID id, String slug, String name, String description, BigDecimal price, String categorySlug,
                       Map<String, Object> attributes) {
    }

    private CatalogDemoData() {
    }

    public static UUID categoryId(String slug) {
        return UUID.nameUUIDFromBytes(("storefront-demo-category:" + slug).getBytes(StandardCharsets.UTF_8));
    }

    /** The demo products: every item in two editions of its category's brands. */
    public static List<DemoProduct> products() {
        List<DemoProduct> products = new ArrayList<>();
        for (CategorySeed category : CATEGORIES) {
            List<Item> items = ITEMS.get(category.slug());
            if (items == null) {
                continue;
            }
            List<String> brands = BRANDS.get(category.slug());
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                for (int b = 0; b < brands.size(); b++) {
                    String brand = brands.get(b);
                    boolean premium = b == 1;
                    String name = brand + " " + item.noun() + (premium ? " Pro" : "");
                    String slug = CategoryBody.slugify(name);
                    BigDecimal base = new BigDecimal(item.price());
                    BigDecimal price = premium ? base.multiply(new BigDecimal("1.35")).setScale(0, RoundingMode.HALF_UP)
                            .subtract(new BigDecimal("0.01")) : base;
                    String colour = COLOURS.get((i * 3 + b) % COLOURS.size());
                    String description = item.blurb() + ". " + (premium
                            ? "The Pro edition from " + brand + " adds premium materials and an extended warranty."
                            : "Designed by " + brand + " for everyday use, in " + colour.toLowerCase() + ".");
                    Map<String, Object> attributes = new LinkedHashMap<>();
                    attributes.put("brand", brand);
                    attributes.put("colour", colour);
                    attributes.put("warrantyYears", premium ? 3 : 1);
                    attributes.put("sku", (category.slug().substring(0, 3) + "-" + (100 + i) + (premium ? "P" : "S")).toUpperCase());
                    products.add(new DemoProduct(UUID.nameUUIDFromBytes(("storefront-demo-product:" + slug).getBytes(StandardCharsets.UTF_8)),
                            slug, name, description, price, category.slug(), attributes));
                }
            }
        }
        return products;
    }

    /** Inserts the demo categories and products that are missing, with their product.created events. */
    static int seed(ServiceContext ctx, CatalogRepository repo) {
        List<DemoProduct> products = products();
        return ctx.db().inTransaction(tx -> {
            Map<String, UUID> ids = new LinkedHashMap<>();
            for (CategorySeed c : CATEGORIES) {
                tx.dml("INSERT INTO categories (id, name, slug, parent_id, description) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        categoryId(c.slug()), c.name(), c.slug(), c.parent() == null ? null : ids.get(c.parent()), c.description());
                // a category with this slug may already exist under another id: use whichever is there
                ids.put(c.slug(), tx.get("SELECT id FROM categories WHERE slug = ?", c.slug()).map(r -> Rows.uuid(r, "id")).orElseThrow());
            }
            int added = 0;
            for (int i = 0; i < products.size(); i++) {
                DemoProduct p = products.get(i);
                boolean fresh = tx.dml("INSERT INTO products (id, name, description, price, currency, category_id, vendor_id, images, "
                                + "attributes, created_at, updated_at) VALUES (?, ?, ?, ?, 'USD', ?, ?, ?::jsonb, ?::jsonb, "
                                + "now() - make_interval(mins => ?), now() - make_interval(mins => ?)) ON CONFLICT (id) DO NOTHING",
                        p.id(), p.name(), p.description(), p.price(), ids.get(p.categorySlug()), DEMO_VENDOR_ID,
                        Json.write(List.of("/images/" + p.slug() + ".svg")), Json.write(p.attributes()),
                        products.size() - i, products.size() - i) == 1;
                if (fresh) {
                    added++;
                    ctx.outbox().append(tx, "storefront.product.created", repo.productIn(tx, p.id()));
                }
            }
            if (added > 0) {
                repo.bumpVersion(tx);
            }
            return added;
        });
    }

    /**
     * Adds {@code count} generated products (for benchmarks) with COPY: about 100,000 in seconds.
     * They go straight into the table, without events. Creates the demo categories if missing.
     */
    public static int generate(String jdbcUrl, String user, String password, int count) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            c.setAutoCommit(false);
            List<UUID> leaves = new ArrayList<>();
            Map<String, UUID> ids = new LinkedHashMap<>();
            for (CategorySeed cat : CATEGORIES) {
                try (var insert = c.prepareStatement("INSERT INTO categories (id, name, slug, parent_id, description) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
                     var select = c.prepareStatement("SELECT id FROM categories WHERE slug = ?")) {
                    insert.setObject(1, categoryId(cat.slug()));
                    insert.setString(2, cat.name());
                    insert.setString(3, cat.slug());
                    insert.setObject(4, cat.parent() == null ? null : ids.get(cat.parent()));
                    insert.setString(5, cat.description());
                    insert.executeUpdate();
                    select.setString(1, cat.slug());
                    try (var rs = select.executeQuery()) {
                        rs.next();
                        ids.put(cat.slug(), rs.getObject(1, UUID.class));
                    }
                }
                if (ITEMS.containsKey(cat.slug())) {
                    leaves.add(ids.get(cat.slug()));
                }
            }
            List<String> leafSlugs = CATEGORIES.stream().map(CategorySeed::slug).filter(ITEMS::containsKey).toList();
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            String sql = "COPY products (id, name, description, price, currency, category_id, vendor_id, images, attributes, created_at, updated_at) "
                    + "FROM STDIN (FORMAT csv)";
            Random random = new Random(42);
            String[] adjectives = {"Classic", "Compact", "Deluxe", "Eco", "Essential", "Heritage", "Modern", "Premium", "Rugged", "Travel", "Ultra", "Vintage"};
            long now = System.currentTimeMillis();
            int written = 0;
            while (written < count) {
                int batch = Math.min(10_000, count - written);
                StringBuilder csv = new StringBuilder(batch * 400);
                for (int i = 0; i < batch; i++) {
                    int leaf = random.nextInt(leaves.size());
                    String slug = leafSlugs.get(leaf);
                    Item item = ITEMS.get(slug).get(random.nextInt(ITEMS.get(slug).size()));
                    String brand = BRANDS.get(slug).get(random.nextInt(2));
                    String name = adjectives[random.nextInt(adjectives.length)] + " " + brand + " " + item.noun() + " " + (1000 + random.nextInt(9000));
                    BigDecimal price = new BigDecimal(item.price()).multiply(BigDecimal.valueOf(50 + random.nextInt(100)))
                            .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
                    String created = java.time.Instant.ofEpochMilli(now - random.nextLong(365L * 24 * 3600 * 1000)).toString();
                    String colour = COLOURS.get(random.nextInt(COLOURS.size()));
                    csv.append(UUID.randomUUID()).append(',')
                            .append(quote(name)).append(',')
                            .append(quote(item.blurb() + ". In " + colour.toLowerCase() + " from " + brand + ".")).append(',')
                            .append(price.toPlainString()).append(",USD,")
                            .append(leaves.get(leaf)).append(',')
                            .append(DEMO_VENDOR_ID).append(',')
                            .append(quote("[\"/images/" + CategoryBody.slugify(item.noun()) + ".svg\"]")).append(',')
                            .append(quote("{\"brand\":\"" + brand + "\",\"colour\":\"" + colour + "\"}")).append(',')
                            .append(created).append(',').append(created).append('\n');
                }
                try {
                    copy.copyIn(sql, new StringReader(csv.toString()));
                } catch (java.io.IOException e) {
                    throw new SQLException("COPY failed: " + e.getMessage(), e);
                }
                written += batch;
            }
            try (var st = c.createStatement()) {
                st.executeUpdate("UPDATE catalog_version SET version = version + 1 WHERE id = 1");
            }
            c.commit();
            c.setAutoCommit(true);
            try (var st = c.createStatement()) {
                // what autovacuum would do some minutes later: statistics for the planner, and a visibility
                // map so that counts and category walks read the indexes only, not every row they pass
                st.execute("VACUUM ANALYZE products");
            }
            return written;
        }
    }

    private static String quote(String value) {
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /**
     * {@code java ... dev.storefront.catalog.CatalogDemoData [count]}: migrates the catalog database
     * named by {@code STOREFRONT_DB_URL} (default the local one) and adds {@code count} (100,000) products.
     */
    public static void main(String[] args) throws SQLException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Config config = Config.create();
        Database.open(config, "catalog").close(); // creates and migrates it
        String url = config.get("storefront.db.url").asString().orElse("jdbc:postgresql://127.0.0.1:5432/storefront_catalog");
        long start = System.nanoTime();
        int written = generate(url, config.get("storefront.db.user").asString().orElse("postgres"),
                config.get("storefront.db.password").asString().orElse(""), count);
        System.out.printf("Generated %d products in %d ms%n", written, (System.nanoTime() - start) / 1_000_000);
    }
}
