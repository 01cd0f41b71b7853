package org.tradingdemo.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A very short run against the real service started in-process: the generator and the HTTP API
 * agree (login, agent creation, autonomous trades answer 201, nothing refused by rate limits or
 * quota). Not a measurement.
 */
class HttpLoadGeneratorInProcessTest {

    @Test
    void aShortRunAgainstTheRealServerSeesOnly2xx(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("r.json");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int code = HttpLoadGenerator.run(new String[] {"--clients", "4", "--agents", "2", "--warmup", "200ms",
                "--duration", "500ms", "--out", out.toString()}, Map.of(), print, print);
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("Errors: none"), text);
        String json = Files.readString(out);
        assertTrue(json.contains("\"201\": "), json);
        assertTrue(json.contains("\"200\": "), json);
    }
}
