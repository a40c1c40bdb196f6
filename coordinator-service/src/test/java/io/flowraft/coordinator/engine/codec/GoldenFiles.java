package io.flowraft.coordinator.engine.codec;

import io.flowraft.coordinator.engine.command.Command;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The golden files of one released format, under {@code src/test/resources/golden/<format>/}:
 * <ul>
 *   <li>{@code log.bin}: Raft log entries as the state machine receives them, each written as its index
 *       (8 bytes), its length (4 bytes) and its bytes ({@link EntryCodec});</li>
 *   <li>{@code snapshot.bin}: the engine snapshot taken after the last entry;</li>
 *   <li>{@code expected.properties}: what replaying them must give ({@code digest}, {@code lastIndex}).</li>
 * </ul>
 * Written once by the code of that format ({@code -Dflowraft.golden.write=<dir>}), then never changed:
 * every later version must read them to the same state.
 */
record GoldenFiles(List<Entry> log, byte[] snapshot, Properties expected) {

    static final Path SOURCE_ROOT = Path.of("src/test/resources/golden");

    record Entry(long index, byte[] data) {
    }

    static GoldenFiles of(List<List<Command>> entries, byte[] snapshot) {
        List<Entry> log = new ArrayList<>();
        long index = 0;
        for (List<Command> batch : entries) {
            log.add(new Entry(++index, EntryCodec.encode(batch.stream().map(CommandCodec::encode).toList())));
        }
        return new GoldenFiles(log, snapshot, new Properties());
    }

    static GoldenFiles read(String format) {
        try (InputStream log = resource(format, "log.bin"); InputStream snapshot = resource(format, "snapshot.bin");
                InputStream expected = resource(format, "expected.properties")) {
            Properties properties = new Properties();
            properties.load(expected);
            return new GoldenFiles(readLog(log), snapshot.readAllBytes(), properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve("log.bin"))) {
            DataOutputStream data = new DataOutputStream(out);
            for (Entry entry : log) {
                data.writeLong(entry.index());
                data.writeInt(entry.data().length);
                data.write(entry.data());
            }
            data.flush();
        }
        Files.write(dir.resolve("snapshot.bin"), snapshot);
        StringBuilder text = new StringBuilder("# What replaying log.bin, or loading snapshot.bin, must give\n");
        new TreeMap<>(expected).forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(dir.resolve("expected.properties"), text);
    }

    private static List<Entry> readLog(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        List<Entry> log = new ArrayList<>();
        while (data.available() > 0) {
            long index = data.readLong();
            byte[] bytes = new byte[data.readInt()];
            data.readFully(bytes);
            log.add(new Entry(index, bytes));
        }
        return log;
    }

    private static InputStream resource(String format, String file) {
        InputStream in = GoldenFiles.class.getResourceAsStream("/golden/" + format + "/" + file);
        if (in == null) {
            throw new IllegalStateException("Missing golden file golden/" + format + "/" + file);
        }
        return in;
    }
}
