package dev.storefront.catalog.pricefeeds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Downloads a feed with bounded cost: a connect timeout, a timeout on every read and one on the whole
 * download, a size limit enforced while streaming (reading stops past it), redirects followed by hand
 * (at most a few, each to http(s) only and checked like the first URL), and only public addresses
 * unless private ones are allowed (against SSRF: an admin's feed URL must not reach the cluster's
 * own services or a cloud metadata endpoint).
 *
 * <p>The JDK's {@link HttpURLConnection} because it times out each read ({@code java.net.http}'s
 * client has no read timeout once the body streams). The address check resolves the host just before
 * connecting; a DNS answer that changes between the check and the connect (rebinding) is not caught
 * here, which is what an egress NetworkPolicy in the cluster is for.
 */
final class FeedDownloader {
    private static final Set<String> JSON_TYPES = Set.of("application/json", "text/json");
    private static final Set<String> CSV_TYPES = Set.of("text/csv", "application/csv", "text/plain", "application/vnd.ms-excel");

    private final PriceFeedSettings settings;

    FeedDownloader(PriceFeedSettings settings) {
        this.settings = settings;
    }

    record Download(byte[] body, String contentType, URI finalUrl) {
    }

    Download download(String url, String format) throws FeedException {
        long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
        URI uri = URI.create(url);
        for (int redirects = 0; ; redirects++) {
            checkTarget(uri);
            HttpURLConnection conn;
            try {
                // no proxy from system properties: the address checked must be the one connected to
                conn = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            } catch (IOException | IllegalArgumentException e) {
                throw new FeedException("Cannot open " + safe(uri) + ": " + e.getMessage(), e);
            }
            try {
                conn.setInstanceFollowRedirects(false);
                conn.setConnectTimeout((int) settings.connectTimeout().toMillis());
                conn.setReadTimeout((int) Math.max(1, Math.min(settings.readTimeout().toMillis(), remainingMillis(deadline))));
                conn.setUseCaches(false);
                conn.setRequestProperty("Accept", "JSON".equals(format) ? "application/json" : "text/csv, text/plain;q=0.5");
                conn.setRequestProperty("Accept-Encoding", "identity");
                conn.setRequestProperty("User-Agent", "Storefront-PriceFeeds/1");
                int status = conn.getResponseCode();
                if (status >= 300 && status < 400 && status != 304) {
                    String location = conn.getHeaderField("Location");
                    if (location == null) {
                        throw new FeedException("HTTP " + status + " without a Location");
                    }
                    if (redirects >= settings.maxRedirects()) {
                        throw new FeedException("More than " + settings.maxRedirects() + " redirects");
                    }
                    URI next;
                    try {
                        next = uri.resolve(location.trim());
                    } catch (IllegalArgumentException e) {
                        throw new FeedException("Redirect to an unreadable location");
                    }
                    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
                    if (!scheme.equals("http") && !scheme.equals("https")) {
                        throw new FeedException("Redirect to a " + (scheme.isEmpty() ? "scheme-less" : scheme) + " URL refused (http and https only)");
                    }
                    uri = next;
                    continue;
                }
                if (status != 200) {
                    throw new FeedException("HTTP " + status + " from " + safe(uri));
                }
                String type = mediaType(conn.getContentType());
                if (type != null && !acceptable(type, format)) {
                    throw new FeedException("Content type " + type + " is not " + format);
                }
                long declared = conn.getContentLengthLong();
                if (declared > settings.maxBytes()) {
                    throw new FeedException("Feed is " + declared + " bytes, more than the limit of " + settings.maxBytes());
                }
                return new Download(read(conn, deadline), type, uri);
            } catch (SocketTimeoutException e) {
                throw new FeedException("Timed out after " + elapsedHint(deadline) + " (" + e.getMessage() + ")", e);
            } catch (IOException e) {
                throw new FeedException("Fetching " + safe(uri) + " failed: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            } finally {
                conn.disconnect();
            }
        }
    }

    /** Reads the body, stopping as soon as it passes the limit or the whole-download deadline. */
    private byte[] read(HttpURLConnection conn, long deadline) throws IOException, FeedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = conn.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + (long) n > settings.maxBytes()) {
                    throw new FeedException("Feed is larger than the limit of " + settings.maxBytes() + " bytes; stopped reading");
                }
                out.write(buffer, 0, n);
                long left = remainingMillis(deadline);
                if (left <= 0) {
                    throw new FeedException("Download took longer than " + settings.totalTimeout().toMillis() + " ms; stopped reading");
                }
                conn.setReadTimeout((int) Math.max(1, Math.min(settings.readTimeout().toMillis(), left)));
            }
        }
        return out.toByteArray();
    }

    /** Refuses non-http(s) URLs and, unless allowed, hosts that resolve to a non-public address. */
    void checkTarget(URI uri) throws FeedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FeedException("Only http and https URLs are fetched");
        }
        if (uri.getHost() == null) {
            throw new FeedException("URL has no host");
        }
        if (settings.allowPrivateAddresses()) {
            return;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new FeedException("Unknown host " + uri.getHost());
        }
        for (InetAddress address : addresses) {
            if (!isPublic(address)) {
                throw new FeedException("Host " + uri.getHost() + " resolves to a non-public address (" + address.getHostAddress()
                        + "); refused");
            }
        }
    }

    /** Whether an address is on the public internet (not loopback, private, link-local, CGNAT, multicast, ...). */
    static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 // "this network"
                    && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT 100.64/10
                    && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    && !(first == 198 && (second == 18 || second == 19)) // benchmarking
                    && first < 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address: judge that one
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean acceptable(String type, String format) {
        if ("JSON".equals(format)) {
            return JSON_TYPES.contains(type) || type.startsWith("application/") && type.endsWith("+json");
        }
        return CSV_TYPES.contains(type);
    }

    private static String mediaType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private long remainingMillis(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }

    private String elapsedHint(long deadline) {
        long spent = settings.totalTimeout().toMillis() - remainingMillis(deadline);
        return spent + " ms";
    }

    /** The URL without its query (which may hold a feed's access key) for messages. */
    private static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }
}
