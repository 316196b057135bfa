package dev.storefront.catalog.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import javax.imageio.ImageIO;

/** Files for the upload tests, made here rather than kept as binaries. */
final class TestImages {
    /** A 1x1 lossy and a 1x1 lossless WebP (the well-known feature-detection images). */
    static final byte[] WEBP_LOSSY = Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");
    static final byte[] WEBP_LOSSLESS = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
    static final String SECRET = "GPS 52.3731N 4.8922E home of the vendor";

    private TestImages() {
    }

    static BufferedImage picture(int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(alpha ? new Color(0, 0, 0, 0) : Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(200, 60, 40, alpha ? 180 : 255));
        g.fillOval(width / 8, height / 8, width * 3 / 4, height * 3 / 4);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] png(int width, int height, boolean alpha) {
        return encode(picture(width, height, alpha), "png");
    }

    static byte[] jpeg(int width, int height) {
        return encode(picture(width, height, false), "jpg");
    }

    /** A JPEG carrying an EXIF segment whose ImageDescription holds {@link #SECRET}. */
    static byte[] jpegWithExif(int width, int height) throws IOException {
        byte[] text = (SECRET + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        DataOutputStream t = new DataOutputStream(tiff);
        t.writeBytes("MM");
        t.writeShort(42);
        t.writeInt(8);          // first IFD
        t.writeShort(1);        // one entry
        t.writeShort(0x010E);   // ImageDescription
        t.writeShort(2);        // ASCII
        t.writeInt(text.length);
        t.writeInt(8 + 2 + 12 + 4);
        t.writeInt(0);          // no next IFD
        t.write(text);
        return withExif(jpeg(width, height), tiff.toByteArray());
    }

    /**
     * A JPEG as a camera writes a photo taken turned: the pixels as the sensor saw them and an EXIF
     * Orientation tag (little-endian TIFF, as most cameras write it) saying how to turn them to view.
     */
    static byte[] jpegWithOrientation(BufferedImage stored, int orientation) throws IOException {
        java.nio.ByteBuffer tiff = java.nio.ByteBuffer.allocate(8 + 2 + 12 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);                                     // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1);  // Orientation, SHORT, one value
        tiff.putShort((short) orientation).putShort((short) 0);       // the value, left-justified in 4 bytes
        tiff.putInt(0);                                               // no next IFD
        return withExif(encode(stored, "jpg"), tiff.array());
    }

    /** The JPEG with an APP1 Exif segment holding the TIFF structure put right after its SOI. */
    private static byte[] withExif(byte[] jpeg, byte[] tiff) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(jpeg, 0, 2);    // SOI
        o.writeShort(0xFFE1);   // APP1
        o.writeShort(2 + 6 + tiff.length);
        o.writeBytes("Exif\0\0");
        o.write(tiff);
        o.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A real decompression bomb: a 20000x20000 PNG (400 megapixels, 50 MB of rows) of some 50 KB. */
    static byte[] pngBomb() throws IOException {
        int side = 20_000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(side);
        h.writeInt(side);
        h.write(new byte[] {1, 0, 0, 0, 0}); // 1-bit grey, deflate, no filter method, no interlace
        chunk(o, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
            byte[] row = new byte[side / 8 + 1];
            for (int y = 0; y < side; y++) {
                z.write(row);
            }
        }
        chunk(o, "IDAT", idat.toByteArray());
        chunk(o, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(DataOutputStream o, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        o.writeInt(data.length);
        o.write(name);
        o.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        o.writeInt((int) crc.getValue());
    }

    static byte[] gif() {
        return encode(picture(40, 30, false), "gif");
    }

    /** A multipart/form-data body with one part, {@code file}. */
    static byte[] multipart(String boundary, String filename, String contentType, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
