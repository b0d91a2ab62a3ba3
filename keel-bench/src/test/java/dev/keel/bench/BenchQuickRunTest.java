package dev.keel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every registered suite in its quick form, so a suite that no longer works fails the build;
 * the figures of a quick run mean nothing and are not looked at, only the shape of the output.
 */
class BenchQuickRunTest {

    @Test
    void every_suite_runs_and_writes_its_results_as_json(@TempDir Path results) throws Exception {
        List<Suite> suites = List.copyOf(BenchMain.availableSuites().values());

        int failures = BenchMain.run(suites, BenchContext.Scale.quickRun(), results);

        assertThat(failures).isZero();
        for (Suite suite : suites) {
            JsonNode json = new ObjectMapper().readTree(Files.readString(results.resolve(suite.name() + ".json")));
            assertThat(json.isArray()).isTrue();
            assertThat(json.size()).as(suite.name()).isPositive();
            for (JsonNode result : json) {
                assertThat(result.get("name").asText()).isNotBlank();
                assertThat(result.get("value").isNumber()).as(result.toString()).isTrue();
                assertThat(result.get("unit").asText()).isNotBlank();
                if (result.get("limit").isNull()) {
                    assertThat(result.get("ratio").isNull()).isTrue();
                } else {
                    String limit = result.get("limit").asText();
                    assertThat(json.findValuesAsText("name")).as("limit %s is in the same file", limit).contains(limit);
                    assertThat(result.get("ratio").isNumber()).isTrue();
                }
            }
        }
    }
}
