package io.flowraft.deploy.pods;

import io.flowraft.deploy.image.BuiltImages;
import io.flowraft.deploy.image.ExtractedImage;
import java.util.function.Function;

/**
 * The container runtime's image store: a reference as the chart renders it ({@code ghcr.io/flowraft/worker:0.1.0})
 * resolves to the image this build made under that name and tag. A reference to any other image, or another tag,
 * fails as an image pull would.
 */
final class PodImages {

    private static final String REGISTRY = "ghcr.io/flowraft/";

    private PodImages() {
    }

    static Function<String, PodImage> built() {
        return PodImages::resolve;
    }

    private static PodImage resolve(String reference) {
        int colon = reference.lastIndexOf(':');
        String repository = colon < 0 ? reference : reference.substring(0, colon);
        String tag = colon < 0 ? "latest" : reference.substring(colon + 1);
        String name = repository.startsWith(REGISTRY) ? repository.substring(REGISTRY.length()) : null;
        if (name == null || !BuiltImages.NAMES.contains(name) || !tag.equals(BuiltImages.version())) {
            throw new AssertionError("ErrImagePull: " + reference + " is not an image this build made ("
                    + REGISTRY + BuiltImages.NAMES + ":" + BuiltImages.version() + ")");
        }
        ExtractedImage image = BuiltImages.extracted(name);
        return new PodImage(reference, image.root(), image.entrypoint(), image.cmd(), image.env(), image.workingDir());
    }
}
