package dev.keel.composition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's example is code that compiles and runs: every line of it is in a test. */
class ReadmeTest {

    @Test
    void the_readme_example_is_the_code_of_the_order_details_example_test() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher java = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(java.find()).as("the README has a java example").isTrue();
        List<String> example = normalised(java.group(1));
        List<String> test = normalised(Files.readString(
                Path.of("src/test/java/dev/keel/composition/OrderDetailsExampleTest.java")));

        assertThat(example).hasSizeGreaterThan(10);
        assertThat(String.join("\n", test)).contains(String.join("\n", example));
    }

    private static List<String> normalised(String code) {
        return code.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
