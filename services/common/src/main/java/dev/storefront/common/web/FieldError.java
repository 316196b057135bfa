package dev.storefront.common.web;

/** One wrong field of a request: which one and what is wrong with it. */
public record FieldError(String field, String message) {
}
