package dev.storefront.notify;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.storefront.common.web.Validator;

/** Body of POST /internal/notify: to a user (address from auth) or an address; template values in data. */
public record NotifyRequest(UUID userId, String email, String template, String subject, JsonNode data) {
    public NotifyRequest {
        data = data == null || data.isNull() ? JsonNodeFactory.instance.objectNode() : data;
    }

    public void validate() {
        Validator v = new Validator()
                .required("template", template)
                .oneOf("template", template, Templates.names())
                .text("subject", subject, 200)
                .check(data.isObject(), "data", "must be an object")
                .check(!"message".equals(template) || subject != null && !subject.isBlank(), "subject",
                        "is required for the message template");
        if (userId == null || email != null) {
            v.email("email", email);
        }
        v.throwIfInvalid();
    }
}
