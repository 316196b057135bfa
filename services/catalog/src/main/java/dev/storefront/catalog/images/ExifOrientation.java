package dev.storefront.catalog.images;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;

/**
 * A camera stores a photo taken upright-but-rotated as landscape pixels plus an EXIF Orientation tag; the
 * variants are re-encoded without EXIF, so the rotation is applied to the pixels here or the portrait shows
 * lying on its side. Read with TwelveMonkeys' metadata readers from the JPEG's APP1 Exif segment (JPEG is
 * what cameras and phones write; PNG and WebP uploads are taken as they are).
 */
final class ExifOrientation {
    /** No rotation or mirroring. */
    static final int NORMAL = 1;

    private ExifOrientation() {
    }

    /** The Orientation tag (1-8) of a JPEG's first Exif segment; 1 when there is none or it cannot be read. */
    static int of(byte[] jpeg) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (exif.isEmpty()) {
                return NORMAL;
            }
            InputStream data = exif.getFirst().data();
            if (data.read() != 0) { // the identifier is "Exif" NUL NUL: data() starts after the first NUL
                return NORMAL;
            }
            try (ImageInputStream tiff = ImageIO.createImageInputStream(data)) {
                Directory directory = new TIFFReader().read(tiff);
                Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
                if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                    return n.intValue();
                }
            }
            return NORMAL;
        } catch (IOException | RuntimeException e) {
            // damaged metadata must not refuse a picture that decodes: it is then taken as it is stored
            return NORMAL;
        }
    }

    /** Whether the orientation turns the picture by a quarter (its width and height trade places). */
    static boolean swapsSides(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /** The pixels as they are meant to be seen. */
    static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation <= NORMAL || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        // AffineTransform(m00, m10, m01, m11, m02, m12): x' = m00 x + m01 y + m02, y' = m10 x + m11 y + m12
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);    // mirrored left to right
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);   // upside down
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);    // mirrored top to bottom
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);     // transposed
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);    // turned a quarter clockwise to view
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);   // transversed
            default -> new AffineTransform(0, -1, 1, 0, 0, w);   // 8: turned a quarter anticlockwise to view
        };
        boolean swap = swapsSides(orientation);
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h,
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            // quarter turns and mirrors map pixels one to one: no interpolation, no blur
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(image, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
