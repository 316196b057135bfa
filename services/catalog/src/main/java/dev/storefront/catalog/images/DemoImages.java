package dev.storefront.catalog.images;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

import javax.imageio.ImageIO;

/**
 * Draws a demo product's picture with Java2D (a lit object on a gradient, in its category's colour, with
 * the product's initials), encodes it as PNG and hands it to the gallery like any upload, so demo data
 * exercises the real decode, variant and storage path.
 */
public final class DemoImages {
    private static final int SIDE = 800;

    private DemoImages() {
    }

    /** The picture for a product, the same every time for the same product. */
    public static byte[] draw(UUID productId, String name, String categorySlug) {
        float hue = (Math.floorMod((categorySlug == null ? "" : categorySlug).hashCode(), 360)) / 360f;
        long seed = productId.getLeastSignificantBits();
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.18f, 0.98f), SIDE, SIDE, Color.getHSBColor(hue, 0.35f, 0.85f)));
            g.fillRect(0, 0, SIDE, SIDE);
            // a soft shadow, then the object: round or boxy by the product, lit from the top left
            g.setColor(new Color(0, 0, 0, 40));
            g.fill(new Ellipse2D.Double(190, 610, 420, 70));
            Color body = Color.getHSBColor(hue + (seed % 7) / 60f, 0.55f, 0.75f);
            g.setPaint(new GradientPaint(200, 180, body.brighter(), 600, 620, body.darker()));
            if ((seed & 1) == 0) {
                g.fill(new Ellipse2D.Double(200, 180, 400, 440));
            } else {
                g.fill(new RoundRectangle2D.Double(210, 190, 380, 420, 60, 60));
            }
            g.setColor(new Color(255, 255, 255, 90));
            g.fill(new Ellipse2D.Double(260, 230, 120, 80));
            g.setStroke(new BasicStroke(6f));
            g.setColor(new Color(255, 255, 255, 160));
            g.drawLine(120, 720, 680, 720);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 120));
            String initials = initials(name);
            int width = g.getFontMetrics().stringWidth(initials);
            g.setColor(new Color(255, 255, 255, 220));
            g.drawString(initials, (SIDE - width) / 2, 450);
        } finally {
            g.dispose();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String initials(String name) {
        StringBuilder sb = new StringBuilder();
        for (String word : name.split("\\s+")) {
            if (!word.isEmpty() && Character.isLetter(word.charAt(0)) && sb.length() < 2) {
                sb.append(Character.toUpperCase(word.charAt(0)));
            }
        }
        return sb.toString();
    }
}
