package org.fathom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.cli.AnalyzeCommandTest.fathom;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's chromium and chromium-driver, through Selenium) opens the dashboard
 * of {@code fathom serve} over stores filled by {@code analyze} from corpus captures with SIP calls
 * and a port scan, checks that the plots have data and that the call and alert numbers on the page
 * equal the store's over the window the page shows, and saves screenshots (target/dashboard-*.png).
 */
class DashboardBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void dashboardOfServeShowsTheStoresCallsAndAlerts() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        assumeTrue(Files.isRegularFile(StoreCommandTest.FAX) && Files.isRegularFile(StoreCommandTest.SCAN), "corpus captures are not here");
        // the calls (2008) and the scan (2010) are too far apart for one 30-day window: a store each
        Path calls = fill("calls", StoreCommandTest.FAX);
        Path scan = fill("scan", StoreCommandTest.SCAN);

        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--window-size=1300,2700");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, o);
        try {
            Page c = open(driver, calls, "calls");
            assertThat(c.numbers().get("calls-attempts")).isPositive();
            assertThat(c.numbers()).isEqualTo(expected(calls, c.from(), c.to()));
            assertThat(c.points("plot-categories")).isPositive();
            assertThat(c.points("plot-applications")).isPositive();
            assertThat(c.points("plot-calls")).isPositive();
            assertThat(c.points("plot-pdd")).isPositive();
            assertThat(c.points("plot-mos")).isPositive();
            assertThat(c.privacy()).contains("pseudonymous").contains("yes");

            Page s = open(driver, scan, "scan");
            assertThat(s.numbers().get("alerts-total")).isPositive();
            assertThat(s.numbers()).isEqualTo(expected(scan, s.from(), s.to()));
            assertThat(s.points("plot-alerts")).isPositive();
            assertThat(s.points("plot-issues")).isPositive();   // the scan's SYNs are answered by resets
            assertThat(s.attacks()).contains("port_scan");
        } finally {
            driver.quit();
            service.stop();
        }
    }

    /**
     * The dashboard of a running {@code fathom live} (the bundled sample replayed at its own pace,
     * about 50 s, with a store): while the run goes on, Chromium sees the page say it is live, its
     * plots fill, and calls and the SYN flood appear; every number it showed is at most the
     * store's once the run has ended (the page saw part of the run).
     */
    @Test
    void dashboardOfALiveRunFillsWhileItRuns() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        Path sample = Path.of("..", "samples", "demo.pcap");
        assumeTrue(Files.isRegularFile(sample), "the bundled sample is not here");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path store = dir.resolve("live-store");
        String url = "http://127.0.0.1:" + port + "/";
        java.util.concurrent.atomic.AtomicReference<AnalyzeCommandTest.Run> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread live = Thread.ofPlatform().start(() -> result.set(fathom("live", "-q", "-r", sample.toString(), "--replay",
                "-w", "2", "--udp-timeout", "2", "--tcp-timeout", "5", "--media-timeout", "3", "--http", "127.0.0.1:" + port,
                "--store", store.toString(), "--k", "2", "--audit-log", dir.resolve("audit.log").toString(),
                "--key-file", dir.resolve("key").toString())));
        waitUntilUp(url);
        WebDriver driver = chromium();
        Map<String, Long> numbers = new java.util.LinkedHashMap<>();
        Map<String, Long> plots = new java.util.LinkedHashMap<>();
        String state = "";
        long capture = -1;
        try {
            long until = System.nanoTime() + 90_000_000_000L;
            while (live.isAlive() && System.nanoTime() < until) {
                driver.get(url + "?range=900");
                new WebDriverWait(driver, Duration.ofSeconds(30))
                        .until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-loaded") != null);
                state = driver.findElement(By.id("state")).getText();
                for (String id : NUMBERS) {
                    numbers.put(id, Long.parseLong(driver.findElement(By.id(id)).getText().replace(",", "")));
                }
                for (String id : PLOTS) {
                    plots.put(id, Long.parseLong(driver.findElement(By.id(id)).getDomAttribute("data-points")));
                }
                capture = driver.findElement(By.id("capture")).isDisplayed()
                        ? Long.parseLong(driver.findElement(By.id("capture-packets")).getText().replace(",", "")) : -1;
                if (numbers.get("calls-attempts") > 0 && numbers.get("alerts-total") > 0 && plots.get("plot-categories") > 0) {
                    break;
                }
                Thread.sleep(2000);
            }
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Path target = Path.of("target", "dashboard-live.png");
            Files.createDirectories(target.getParent());
            Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.quit();
        }
        live.join(120_000);
        assertThat(result.get().status()).as(result.get().err()).isZero();
        assertThat(state).as("the page says it is live").startsWith("live");
        assertThat(capture).as("the live page shows the run's capture counters (packets read)").isPositive();
        assertThat(numbers.get("calls-attempts")).as("calls reached the live page").isPositive();
        assertThat(numbers.get("alerts-total")).as("the SYN flood reached the live page").isPositive();
        assertThat(plots.get("plot-categories")).isPositive();
        assertThat(plots.get("plot-calls")).isPositive();
        // the store, complete once the run ended, holds at least what the page showed
        Map<String, Long> all = expected(store, 0, Long.MAX_VALUE / 2_000_000_000L);
        for (String id : NUMBERS) {
            assertThat(numbers.get(id)).as(id).isLessThanOrEqualTo(all.get(id));
        }
        assertThat(all.get("calls-attempts")).as("the sample's six calls").isEqualTo(6);
    }

    private WebDriver chromium() {
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("chromium-live"), "--window-size=1300,2700");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build(), o);
    }

    private record Page(long from, long to, Map<String, Long> numbers, Map<String, Long> plots, String privacy, String attacks) {
        long points(String id) {
            return plots.get(id);
        }
    }

    static final List<String> NUMBERS = List.of("calls-attempts", "calls-answered", "calls-blocked", "calls-dropped",
            "calls-emergency", "alerts-total");
    static final List<String> PLOTS = List.of("plot-categories", "plot-applications", "plot-unknown", "plot-calls", "plot-pdd",
            "plot-mos", "plot-issues", "plot-alerts");

    private Path fill(String name, Path capture) {
        Path store = dir.resolve(name);
        AnalyzeCommandTest.Run r = fathom("analyze", "-q", capture.toString(), "--store", store.toString(), "--k", "2",
                "--audit-log", dir.resolve("audit.log").toString(), "--key-file", dir.resolve("key").toString());
        assertThat(r.status()).as(r.err()).isZero();
        return store;
    }

    /** Serves the store with 'fathom serve' on a free loopback port and reads the page as Chromium shows it. */
    private Page open(WebDriver driver, Path store, String name) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/";
        Thread serve = Thread.ofPlatform().daemon().start(() -> Main.run("serve", "--store", store.toString(), "--http", "127.0.0.1:" + port));
        waitUntilUp(url);
        assertThat(serve.isAlive()).isTrue();
        driver.get(url + "?range=2592000");
        new WebDriverWait(driver, Duration.ofSeconds(60))
                .until(d -> d.findElement(By.tagName("body")).getDomAttribute("data-loaded") != null);
        Map<String, Long> numbers = new java.util.LinkedHashMap<>();
        for (String id : NUMBERS) {
            numbers.put(id, Long.parseLong(driver.findElement(By.id(id)).getText().replace(",", "")));
        }
        Map<String, Long> plots = new java.util.LinkedHashMap<>();
        for (String id : PLOTS) {
            var el = driver.findElement(By.id(id));
            assertThat(el.findElements(By.tagName("canvas"))).as(id + " is drawn").isNotEmpty();
            plots.put(id, Long.parseLong(el.getDomAttribute("data-points")));
        }
        assertThat(driver.findElement(By.id("capture")).isDisplayed()).as("serve has no capture of its own to show").isFalse();
        var window = driver.findElement(By.id("window"));
        Page p = new Page(Long.parseLong(window.getDomAttribute("data-from")), Long.parseLong(window.getDomAttribute("data-to")),
                numbers, plots, driver.findElement(By.id("privacy")).getText(), driver.findElement(By.id("attacks")).getText());
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "dashboard-" + name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isGreaterThan(10_000);
        serve.interrupt();
        return p;
    }

    /** The same numbers from the store, by 'fathom query', over the page's window. */
    private static Map<String, Long> expected(Path store, long from, long to) {
        String w = " >= to_timestamp(" + from + ")::TIMESTAMP AND %s < to_timestamp(" + to + ")::TIMESTAMP";
        String calls = "start_time" + w.formatted("start_time");
        AnalyzeCommandTest.Run q = fathom("query", "--store", store.toString(), "--json", "SELECT"
                + " count(*) FILTER (WHERE " + calls + ") AS a,"
                + " count(*) FILTER (WHERE " + calls + " AND answer_time IS NOT NULL) AS b,"
                + " count(*) FILTER (WHERE " + calls + " AND outcome IN ('rejected', 'failed')) AS c,"
                + " count(*) FILTER (WHERE " + calls + " AND outcome = 'dropped') AS d,"
                + " count(*) FILTER (WHERE " + calls + " AND emergency) AS e,"
                + " (SELECT count(*) FROM alerts WHERE start_time" + w.formatted("start_time") + ") AS f FROM calls");
        assertThat(q.status()).as(q.err()).isZero();
        String line = q.out().strip();
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        List<String> keys = new ArrayList<>(NUMBERS);
        String[] names = {"a", "b", "c", "d", "e", "f"};
        for (int i = 0; i < names.length; i++) {
            java.util.regex.Matcher x = java.util.regex.Pattern.compile("\"" + names[i] + "\":(\\d+)").matcher(line);
            assertThat(x.find()).as(line).isTrue();
            m.put(keys.get(i), Long.parseLong(x.group(1)));
        }
        return m;
    }

    private static void waitUntilUp(String url) throws Exception {
        try (HttpClient c = HttpClient.newHttpClient()) {
            for (int i = 0; i < 200; i++) {
                try {
                    if (c.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("fathom serve did not come up on " + url);
    }
}
