package dev.storefront.catalog.images;

import java.awt.image.BufferedImage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The eight EXIF orientations turn the pixels as the EXIF specification says, one to one. */
class ExifOrientationTest {
    private static final int TOP_LEFT = 0xFF0000;
    private static final int TOP_RIGHT = 0x00FF00;

    /** A 3x2 picture whose top-left pixel is red and top-right green; the rest black. */
    private static BufferedImage marked() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, TOP_LEFT);
        image.setRGB(2, 0, TOP_RIGHT);
        return image;
    }

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
            // orientation, width, height, where the stored top-left lands (x, y), where the stored top-right lands
            "1, 3, 2, 0, 0, 2, 0",
            "2, 3, 2, 2, 0, 0, 0",
            "3, 3, 2, 2, 1, 0, 1",
            "4, 3, 2, 0, 1, 2, 1",
            "5, 2, 3, 0, 0, 0, 2",
            "6, 2, 3, 1, 0, 1, 2",
            "7, 2, 3, 1, 2, 1, 0",
            "8, 2, 3, 0, 2, 0, 0"})
    void eachOrientationMovesThePixelsWhereTheSpecificationPutsThem(int orientation, int width, int height,
                                                                     int leftX, int leftY, int rightX, int rightY) {
        BufferedImage upright = ExifOrientation.apply(marked(), orientation);
        assertThat(upright.getWidth()).isEqualTo(width);
        assertThat(upright.getHeight()).isEqualTo(height);
        assertThat(upright.getRGB(leftX, leftY) & 0xFFFFFF).isEqualTo(TOP_LEFT);
        assertThat(upright.getRGB(rightX, rightY) & 0xFFFFFF).isEqualTo(TOP_RIGHT);
        assertThat(ExifOrientation.swapsSides(orientation)).isEqualTo(orientation >= 5);
    }

    @Test
    void theTagIsReadFromTheJpegsExifSegmentAndItsAbsenceOrDamageMeansUpright() throws Exception {
        for (int orientation = 1; orientation <= 8; orientation++) {
            assertThat(ExifOrientation.of(TestImages.jpegWithOrientation(TestImages.picture(40, 30, false), orientation)))
                    .isEqualTo(orientation);
        }
        assertThat(ExifOrientation.of(TestImages.jpeg(40, 30))).isEqualTo(ExifOrientation.NORMAL);
        assertThat(ExifOrientation.of(TestImages.jpegWithExif(40, 30))).isEqualTo(ExifOrientation.NORMAL); // EXIF without the tag
        byte[] damaged = TestImages.jpegWithOrientation(TestImages.picture(40, 30, false), 6);
        damaged[2 + 2 + 2 + 6] = (byte) 'X'; // after SOI, APP1 marker, length and "Exif\0\0": the byte order "II" becomes "XI"
        assertThat(ExifOrientation.of(damaged)).isEqualTo(ExifOrientation.NORMAL);
    }
}
