package io.flowraft.cli;

/** A file or JSON argument the user gave cannot be used; the message says which and why. */
final class InputException extends RuntimeException {

    InputException(String message) {
        super(message);
    }
}
