package ser.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import ser.pipeline.extract.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.WebDriver;

/**
 * The page in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium; never downloaded: both binaries are named explicitly, so Selenium Manager is not
 * run). The microphone is Chromium's fake device playing a WAV; the page streams it over the
 * WebSocket and must show the predicted emotions. Skipped when the binaries are absent
 * (.ci/run installs them).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final List<String> EMOTIONS = List.of("fear", "happy", "sad", "anger", "disgust", "neutral", "surprise", "others");

    @TempDir
    static Path dir;

    static SerServer server;
    static ChromeDriver browser;
    static Path speech;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "chromium and chromedriver not installed");
        Path model = TestModel.train(dir);
        server = SerServer.open(model, Fixtures.plugins(), TestModel.config(""), null,
                ServeSettings.from(TestModel.config("ser.serve { port = 0, pool-size = 2 }"))).start();
        speech = dir.resolve("speech.wav");
        Files.write(speech, TestModel.wav(TestModel.tone(4, 6, 48000, 3), 48000));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + speech, "--autoplay-policy=no-user-gesture-required");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** Polls {@code condition} for up to 60 s (what selenium-support's WebDriverWait does, without the extra jar). */
    private static void until(java.util.function.Predicate<WebDriver> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (condition.test(browser)) {
                    return;
                }
            } catch (org.openqa.selenium.NoSuchElementException e) {
                // not there yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("page condition not met within 60 s; status: "
                        + browser.findElement(By.id("status")).getText());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theMicrophoneStreamShowsEmotionsAndATimeline() {
        browser.get(server.url() + "/");
        until(d -> d.findElement(By.id("model")).getText().contains("test-centroid"));
        browser.findElement(By.id("record")).click();
        until(d -> d.findElements(By.cssSelector("#log li")).size() >= 3);
        String emotion = browser.findElement(By.id("emotion")).getText();
        assertThat(EMOTIONS).contains(emotion);
        List<WebElement> log = browser.findElements(By.cssSelector("#log li"));
        for (WebElement li : log) {
            assertThat(EMOTIONS).contains(li.getAttribute("data-emotion"));
        }
        assertThat(browser.findElement(By.id("status")).getText()).startsWith("streaming at");
        // the bars show the probabilities of the current window: they sum to one
        double sum = 0;
        for (WebElement v : browser.findElements(By.cssSelector("#probs .value"))) {
            sum += Double.parseDouble(v.getText());
        }
        assertThat(sum).isBetween(0.95, 1.05);
        browser.findElement(By.id("stop")).click();
        until(d -> d.findElement(By.id("status")).getText().equals("stopped"));
    }

    @Test
    void aChosenFileShowsItsEmotionAndSegments() {
        browser.get(server.url() + "/");
        WebElement input = browser.findElement(By.id("file"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].hidden = false;", input);
        input.sendKeys(new File(speech.toString()).getAbsolutePath());
        until(d -> d.findElement(By.id("status")).getText().contains("segments"));
        assertThat(browser.findElement(By.id("status")).getText()).matches("speech\\.wav: \\w+, 5 segments");
        assertThat(EMOTIONS).contains(browser.findElement(By.id("emotion")).getText());
        assertThat(browser.findElements(By.cssSelector("#log li"))).hasSize(5);
    }
}
