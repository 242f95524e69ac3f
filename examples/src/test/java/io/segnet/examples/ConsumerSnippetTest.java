package io.segnet.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The Java snippet of docs/getting-started.md section 5 is the code of examples/consumer (which the invoker plugin
 * compiles and runs): every line of the snippet must appear in {@code SegmentImages.java}.
 */
class ConsumerSnippetTest {
    private static final Path GUIDE = Path.of("../docs/getting-started.md");
    private static final Path CONSUMER =
            Path.of("consumer/src/main/java/com/example/segmentation/SegmentImages.java");

    @Test
    void gettingStartedJavaSnippetIsTheConsumerProjectsCode() throws IOException {
        String guide = Files.readString(GUIDE);
        int section = guide.indexOf("## 5. From Java");
        assertTrue(section >= 0, "docs/getting-started.md has no section \"## 5. From Java\"");
        int start = guide.indexOf("```java\n", section) + "```java\n".length();
        int end = guide.indexOf("```", start);
        List<String> snippet = guide.substring(start, end).lines().map(String::strip).filter(l -> !l.isEmpty())
                .toList();
        assertFalse(snippet.isEmpty(), "the Java snippet of section 5 is empty");
        String code = Files.readString(CONSUMER);
        for (String line : snippet) {
            assertTrue(code.contains(line), "docs/getting-started.md section 5 has a line that examples/consumer's"
                    + " SegmentImages.java lacks (copy the code, don't retype it): " + line);
        }
    }
}
