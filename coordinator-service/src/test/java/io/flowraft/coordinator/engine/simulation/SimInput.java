package io.flowraft.coordinator.engine.simulation;

/** The workflow input the generator draws: {@code {"flag":<flag>,"n":<n>}}. */
record SimInput(boolean flag, int n) {

    String json() {
        return "{\"flag\":" + flag + ",\"n\":" + n + "}";
    }
}
