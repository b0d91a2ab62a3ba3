package dev.keel.shop.gateway;

import static dev.keel.shop.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard is served with its assets, and its script only calls routes the gateway documents and
 * serves. (What it looks like in a browser is checked by hand: see the gateway's README.)
 */
@WithInfrastructure
class DashboardTest {

    private static FakeShop shop;
    private static TestGateway gateway;

    @BeforeAll
    static void start(TestDatabase db) {
        shop = new FakeShop();
        gateway = TestGateway.start(db, shop.directory(), Map.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        shop.close();
    }

    @Test
    void the_root_serves_the_dashboard_page_which_loads_its_style_sheet_and_script() {
        HttpResponse<String> page = gateway.get("/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<title>Keel Shop · dashboard</title>")
                .contains("href=\"/dashboard/dashboard.css\"").contains("src=\"/dashboard/dashboard.js\"");
    }

    @Test
    void the_page_has_a_panel_for_everything_an_operator_watches() {
        String page = gateway.get("/").body();

        for (String panel : List.of("services", "orders", "order", "sagas", "projections", "parked", "replicas", "audit")) {
            assertThat(page).contains("<section id=\"" + panel + "\"");
        }
    }

    @Test
    void the_assets_are_served_with_their_content_types() {
        HttpResponse<String> css = gateway.get("/dashboard/dashboard.css");
        HttpResponse<String> script = gateway.get("/dashboard/dashboard.js");

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
    }

    @Test
    void an_asset_that_does_not_exist_is_a_404_problem() {
        HttpResponse<String> response = gateway.get("/dashboard/secrets.txt");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("type").asText()).isEqualTo("/problems/not-found");
    }

    @Test
    void every_api_call_of_the_script_is_a_documented_route_of_the_gateway() throws IOException {
        String script = gateway.get("/dashboard/dashboard.js").body();
        JsonNode paths = TestGateway.JSON.readTree(Files.readAllBytes(Path.of("..", "..", "docs", "openapi.json"))).get("paths");
        Set<String> documented = new TreeSet<>();
        paths.properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method ->
                documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey().replaceAll("\\{[^}]+}", "{}"))));

        List<String> calls = apiCalls(script);

        assertThat(calls).hasSizeGreaterThanOrEqualTo(14).allSatisfy(call -> assertThat(documented).contains(call));
        assertThat(calls).contains("GET /api/admin/services", "GET /api/orders/{}/details", "GET /api/orders/{}/history",
                "GET /api/admin/sagas/{}", "POST /api/admin/projections/{}/rebuild", "POST /api/admin/parked/{}/{}/retry",
                "POST /api/admin/parked/{}/{}/skip", "GET /api/admin/replicas", "GET /api/order-view/orders");
    }

    @Test
    void every_panel_of_the_script_shows_service_unavailable_when_its_call_fails() {
        String script = gateway.get("/dashboard/dashboard.js").body();

        assertThat(script).contains("'service unavailable'");
        Matcher panels = Pattern.compile("async function (load\\w+)\\(\\) \\{").matcher(script);
        int found = 0;
        while (panels.find()) {
            int end = script.indexOf("\n}\n", panels.end());
            assertThat(script.substring(panels.end(), end)).as(panels.group(1)).contains("catch (error)").contains("unavailable(error)");
            found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(8);
    }

    /** {@code api.get('/api/...')} and {@code api.post(`/api/.../${x}/...`)}, as {@code METHOD /api/.../{}/...} without the query. */
    static List<String> apiCalls(String script) {
        Matcher matcher = Pattern.compile("api\\.(get|post)\\(\\s*['`](/[^'`]*)['`]").matcher(script);
        List<String> calls = new ArrayList<>();
        while (matcher.find()) {
            String path = matcher.group(2).replaceAll("\\$\\{[^}]+}", "{}").replaceAll("\\?.*$", "");
            calls.add(matcher.group(1).toUpperCase(java.util.Locale.ROOT) + " " + path);
        }
        return calls;
    }
}
