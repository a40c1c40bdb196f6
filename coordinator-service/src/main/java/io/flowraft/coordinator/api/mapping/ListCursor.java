package io.flowraft.coordinator.api.mapping;

import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.model.Ids;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code cursor} of the workflow list: "after this workflow id", base64url-encoded so clients treat
 * it as a token. Workflows are kept in id order, so a cursor stays valid whatever is submitted or removed
 * meanwhile: the next page starts after that id.
 */
public final class ListCursor {

    private static final String PREFIX = "after:";

    private ListCursor() {
    }

    public static String encode(String afterWorkflowId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + afterWorkflowId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @return the workflow id to continue after, or {@code null} for the first page
     * @throws ApiProblemException 400 on field {@code cursor} if it is not a cursor this server made
     */
    public static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        String id = text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : null;
        if (!Ids.isValidId(id)) {
            throw ApiProblemException.invalid("cursor",
                    "Expected a cursor from the 'nextCursor' of a previous page; cursors are opaque, do not build them");
        }
        return id;
    }
}
