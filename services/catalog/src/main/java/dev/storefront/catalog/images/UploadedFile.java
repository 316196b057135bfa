package dev.storefront.catalog.images;

/** The bytes of the multipart field {@code file}; its name and declared type are kept for logs only. */
public record UploadedFile(byte[] bytes, String filename) {
}
