package io.flowraft.worker.secrets;

import io.flowraft.worker.spi.TerminalTaskException;

/**
 * A task references a secret it may not have, or one this worker does not hold: it fails for good, since another
 * attempt would be refused the same way. The message names the secret, never a value.
 */
public class SecretRefusedException extends TerminalTaskException {

    public SecretRefusedException(String message) {
        super(message);
    }
}
