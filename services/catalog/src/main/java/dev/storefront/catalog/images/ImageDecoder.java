package dev.storefront.catalog.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;

/**
 * Decides what an upload is from its bytes alone (ImageIO's readers test the magic bytes; TwelveMonkeys adds
 * WebP and a sturdier JPEG reader), checks its pixel size from the header before any pixel is decoded, then
 * decodes it, subsampled when it is far larger than the largest variant (a 40-megapixel photo is read at
 * a quarter of the memory), and turns it as a JPEG's EXIF Orientation says ({@link ExifOrientation}).
 */
public final class ImageDecoder {
    /** ImageIO's format names we accept, as they are written on the wire. */
    private static final Set<String> ACCEPTED = Set.of("jpeg", "png", "webp");

    static {
        ImageIO.setUseCache(false); // decode in memory, no temporary files
        ImageIO.scanForPlugins();
    }

    private final int maxSide;
    private final long maxPixels;
    private final int targetSide;

    public ImageDecoder(int maxSide, long maxPixels, int targetSide) {
        this.maxSide = maxSide;
        this.maxPixels = maxPixels;
        this.targetSide = targetSide;
    }

    /** The decoded pixels, upright, and what the file was: format (jpeg|png|webp) and its size as seen (upright). */
    public record Decoded(BufferedImage image, String format, int width, int height) {
    }

    public Decoded decode(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = acceptedReader(in);
            try {
                reader.setInput(in, true, true); // metadata ignored: it is never copied
                String format = canonical(reader.getFormatName());
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width > maxSide || height > maxSide || (long) width * height > maxPixels) {
                    throw reject(ErrorCode.UNPROCESSABLE, "The image is " + width + "x" + height + " pixels; at most "
                            + maxSide + " a side and " + maxPixels / 1_000_000 + " megapixels are accepted");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(width, height) / targetSide);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                // the variants carry no EXIF, so a camera's rotation tag is applied to the pixels
                int orientation = format.equals("jpeg") ? ExifOrientation.of(bytes) : ExifOrientation.NORMAL;
                image = ExifOrientation.apply(image, orientation);
                boolean swap = ExifOrientation.swapsSides(orientation);
                return new Decoded(image, format, swap ? height : width, swap ? width : height);
            } finally {
                reader.dispose();
            }
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // a corrupt or truncated file: the readers throw IIOException or, for some, runtime exceptions
            throw reject(ErrorCode.UNPROCESSABLE, "The image could not be decoded: it is damaged or truncated");
        }
    }

    private static ImageReader acceptedReader(ImageInputStream in) {
        if (in == null) {
            throw reject(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "The file is not an image");
        }
        List<String> others = new ArrayList<>();
        for (Iterator<ImageReader> readers = ImageIO.getImageReaders(in); readers.hasNext(); ) {
            ImageReader reader = readers.next();
            String format;
            try {
                format = canonical(reader.getFormatName());
            } catch (IOException e) {
                continue;
            }
            if (ACCEPTED.contains(format)) {
                return reader;
            }
            others.add(format.toUpperCase(Locale.ROOT));
            reader.dispose();
        }
        throw reject(ErrorCode.UNSUPPORTED_MEDIA_TYPE, others.isEmpty()
                ? "The file is not a JPEG, PNG or WebP image (decided by its content, not its name)"
                : others.getFirst() + " images are not accepted: JPEG, PNG or WebP only");
    }

    private static String canonical(String formatName) {
        String f = formatName.toLowerCase(Locale.ROOT);
        return f.equals("jpg") ? "jpeg" : f;
    }

    private static ApiException reject(ErrorCode code, String message) {
        return new ApiException(code, message, List.of(new FieldError("file", message)), null, null);
    }
}
