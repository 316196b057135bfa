package dev.storefront.catalog.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import net.coobird.thumbnailator.Thumbnails;

/**
 * Scales a decoded image to the three variants with Thumbnailator and encodes each afresh, so no byte of
 * the upload (EXIF, GPS, ICC profiles, comments, anything appended) reaches the store. Opaque images
 * become JPEG, images with transparency PNG; nothing is scaled up.
 */
public final class ImageVariants {
    /** Variant names and the longest side of each. */
    public enum Kind {
        THUMB(160), CARD(480), FULL(1600);

        public final int side;

        Kind(int side) {
            this.side = side;
        }

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One encoded variant. */
    public record Encoded(Kind kind, byte[] bytes, int width, int height, String extension, String contentType) {
    }

    private ImageVariants() {
    }

    public static List<Encoded> encode(BufferedImage source) {
        boolean alpha = source.getColorModel().hasAlpha();
        List<Encoded> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            double scale = Math.min(1.0, (double) kind.side / Math.max(source.getWidth(), source.getHeight()));
            out.add(encode(source, kind, scale, alpha));
        }
        return out;
    }

    private static Encoded encode(BufferedImage source, Kind kind, double scale, boolean alpha) {
        try {
            BufferedImage scaled = Thumbnails.of(source).scale(scale)
                    .imageType(alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB).asBufferedImage();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Thumbnails.of(scaled).scale(1.0).outputFormat(alpha ? "png" : "jpg").outputQuality(alpha ? 1.0f : 0.85f)
                    .toOutputStream(bytes);
            return new Encoded(kind, bytes.toByteArray(), scaled.getWidth(), scaled.getHeight(),
                    alpha ? "png" : "jpg", alpha ? "image/png" : "image/jpeg");
        } catch (IOException e) {
            throw new UncheckedIOException("Encoding the " + kind.key() + " variant failed", e);
        }
    }
}
