package io.flowraft.coordinator.engine.codec;

import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.command.Command;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class GoldenFormatTest {

    /** Run once per released format: {@code -Dflowraft.golden.write=src/test/resources/golden/v<N>}. */
    @Test
    @EnabledIfSystemProperty(named = "flowraft.golden.write", matches = ".+")
    void writeTheGoldenFilesOfTheCurrentFormat() throws IOException {
        List<List<Command>> entries = GoldenScenario.entries();
        Engine engine = new Engine();
        long index = 0;
        for (List<Command> batch : entries) {
            index++;
            for (Command command : batch) {
                engine.apply(index, command);
            }
        }
        GoldenFiles files = GoldenFiles.of(entries, engine.snapshot());
        files.expected().setProperty("lastIndex", Long.toString(index));
        files.expected().setProperty("digest", engine.digest());
        files.write(Path.of(System.getProperty("flowraft.golden.write")));
    }
}
